"""Kubeflow Desktop starter: plain Python, no dependencies.

Fits a straight line to Anscombe's quartet (data set I, F. J. Anscombe, 1973) by gradient
descent, printing `step=N loss=X` so the app can chart it. It also prints the distributed
environment every backend provides (RANK, WORLD_SIZE, ...), the same contract as Kubeflow
Trainer's torch runtime, so you can see what each rank receives.
"""
import os
import time

# Hyper-parameters: change them and run again.
LEARNING_RATE = 0.1
STEPS = 20

# Anscombe's quartet, data set I: (x, y). The real data ships inside this file.
DATA = [
    (10.0, 8.04), (8.0, 6.95), (13.0, 7.58), (9.0, 8.81), (11.0, 8.33), (14.0, 9.96),
    (6.0, 7.24), (4.0, 4.26), (12.0, 10.84), (7.0, 4.82), (5.0, 5.68),
]


def main():
    rank = int(os.environ.get("RANK", "0"))
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    print(
        f"rank={rank} world_size={world_size} local_rank={local_rank} "
        f"node_rank={os.environ.get('PET_NODE_RANK', '0')} "
        f"master={os.environ.get('MASTER_ADDR', '-')}:{os.environ.get('MASTER_PORT', '-')}",
        flush=True,
    )

    # Standardise x so a fixed learning rate converges quickly; fit y = w * x' + b.
    xs = [x for x, _ in DATA]
    mean = sum(xs) / len(xs)
    std = (sum((x - mean) ** 2 for x in xs) / len(xs)) ** 0.5
    points = [((x - mean) / std, y) for x, y in DATA]

    w, b = 0.0, 0.0
    for step in range(1, STEPS + 1):
        grad_w = grad_b = loss = 0.0
        for x, y in points:
            err = w * x + b - y
            loss += err * err / len(points)
            grad_w += 2 * err * x / len(points)
            grad_b += 2 * err / len(points)
        w -= LEARNING_RATE * grad_w
        b -= LEARNING_RATE * grad_b
        if rank == 0:
            print(f"step={step} loss={loss:.4f}", flush=True)
        time.sleep(0.02)  # keep the progress visible while it streams

    # Back to the original scale: y = slope * x + intercept (Anscombe: about 0.500 and 3.00).
    slope = w / std
    intercept = b - w * mean / std
    print(f"rank={rank} done slope={slope:.3f} intercept={intercept:.3f}", flush=True)


if __name__ == "__main__":
    main()

"""Kubeflow Desktop starter: the job behind explore.ipynb.

Softmax regression in NumPy on scikit-learn's bundled 8x8 handwritten digits (load_digits(),
real data that ships with the package, so nothing is downloaded). Prints `step=N loss=X
accuracy=Y` (Y on a held-out 20%) for the app to chart. explore.ipynb imports load_data and
train from here, so the notebook and the job run the same code.
"""
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# Hyper-parameters: change them and run again.
LEARNING_RATE = 1.0
STEPS = 40
L2 = 1e-3
SEED = 0


def load_data(seed=SEED):
    digits = load_digits()
    x = digits.data / 16.0  # pixels are 0..16
    return train_test_split(x, digits.target, test_size=0.2, random_state=seed, stratify=digits.target)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train(x_train, y_train, x_test, y_test, lr=LEARNING_RATE, steps=STEPS, l2=L2, log=print):
    """Full-batch gradient descent; returns the weights and the last (loss, accuracy)."""
    classes = int(y_train.max()) + 1
    w = np.zeros((x_train.shape[1], classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y_train]
    loss = accuracy = 0.0
    for step in range(1, steps + 1):
        p = softmax(x_train @ w + b)
        loss = float(-np.mean(np.sum(onehot * np.log(p + 1e-12), axis=1)) + l2 * np.sum(w * w))
        grad = p - onehot
        w -= lr * (x_train.T @ grad / len(x_train) + 2 * l2 * w)
        b -= lr * grad.mean(axis=0)
        accuracy = float(np.mean((x_test @ w + b).argmax(axis=1) == y_test))
        log(f"step={step} loss={loss:.4f} accuracy={accuracy:.4f}")
    return (w, b), (loss, accuracy)


def main():
    if int(os.environ.get("RANK", "0")) != 0:
        print("this job trains on one process; other ranks have nothing to do", flush=True)
        return
    x_train, x_test, y_train, y_test = load_data()
    print(f"train_samples={len(x_train)} test_samples={len(x_test)}", flush=True)
    _, (loss, accuracy) = train(x_train, y_train, x_test, y_test, log=lambda line: print(line, flush=True))
    print(f"final loss={loss:.4f} accuracy={accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main()

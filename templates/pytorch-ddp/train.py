"""Kubeflow Desktop starter: PyTorch DistributedDataParallel on CPU (gloo).

Trains a small MLP on scikit-learn's bundled 8x8 handwritten digits (load_digits(): real data
that ships with the package, so nothing is downloaded). Every rank reads the environment
contract of Kubeflow Trainer's torch runtime (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), so
this file runs unchanged as local processes, in containers and on a Kubernetes cluster.

Output: rank 0 prints `step=N loss=X acc=Y` (averaged over all ranks) and per-epoch
`epoch=E val_loss=X val_acc=Y`; at the end every rank prints `param_checksum=...`, which is
identical on all ranks when gradients were really all-reduced.
"""
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

# Hyper-parameters: change them and run again.
LEARNING_RATE = 0.05
EPOCHS = 8
BATCH_SIZE = 32  # per rank
HIDDEN = 64
SEED = 0
LOG_EVERY = 10  # steps


def setup():
    # Defaults make `python3 train.py` work on its own as a 1-rank job.
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29500")
    os.environ.setdefault("RANK", "0")
    os.environ.setdefault("WORLD_SIZE", "1")
    # One thread per rank: several ranks share the CPU cores.
    torch.set_num_threads(1)
    dist.init_process_group(backend="gloo", init_method="env://")
    return dist.get_rank(), dist.get_world_size()


def load_data():
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)  # pixels are 0..16
    y = torch.tensor(digits.target, dtype=torch.long)
    # The same fixed split on every rank; the sampler below shards the training part.
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)
    return TensorDataset(x_train, y_train), TensorDataset(x_val, y_val)


def mean_over_ranks(values, world_size):
    t = torch.tensor(values, dtype=torch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return (t / world_size).tolist()


def main():
    rank, world_size = setup()
    torch.manual_seed(SEED)
    train_ds, val_ds = load_data()
    sampler = DistributedSampler(train_ds, num_replicas=world_size, rank=rank, shuffle=True, seed=SEED)
    loader = DataLoader(train_ds, batch_size=BATCH_SIZE, sampler=sampler)
    if rank == 0:
        print(f"world_size={world_size} train_samples={len(train_ds)} val_samples={len(val_ds)} steps_per_epoch={len(loader)}", flush=True)

    net = nn.Sequential(nn.Linear(64, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10))
    model = DistributedDataParallel(net)  # averages gradients across ranks in backward()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

    step = 0
    for epoch in range(1, EPOCHS + 1):
        sampler.set_epoch(epoch)  # a different shuffle each epoch, the same on all ranks
        model.train()
        for inputs, targets in loader:
            optimizer.zero_grad()
            logits = model(inputs)
            loss = F.cross_entropy(logits, targets)
            loss.backward()
            optimizer.step()
            step += 1
            if step % LOG_EVERY == 0:
                acc = (logits.argmax(1) == targets).float().mean().item()
                # A collective: every rank must call it, only rank 0 prints.
                loss_avg, acc_avg = mean_over_ranks([loss.item(), acc], world_size)
                if rank == 0:
                    print(f"step={step} loss={loss_avg:.4f} acc={acc_avg:.4f}", flush=True)

        if rank == 0:
            # Evaluate the plain module: no collectives, so the other ranks need not take part.
            model.module.eval()
            with torch.no_grad():
                x_val, y_val = val_ds.tensors
                logits = model.module(x_val)
                val_loss = F.cross_entropy(logits, y_val).item()
                val_acc = (logits.argmax(1) == y_val).float().mean().item()
            print(f"epoch={epoch} step={step} val_loss={val_loss:.4f} val_acc={val_acc:.4f}", flush=True)

    checksum = sum(p.detach().double().sum().item() for p in model.parameters())
    print(f"rank={rank} param_checksum={checksum:.6f}", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

"""Kubeflow Desktop starter for hyperparameter tuning: the digits classifier, tuned by Katib.

A linear classifier (logistic regression by stochastic gradient descent, scikit-learn's
SGDClassifier) on load_digits(), the 8x8 handwritten digits that ship with scikit-learn. Each
trial of experiment.yaml runs this script with its own --learning-rate and --alpha; every step it
prints `step=N loss=X accuracy=Y` (Y on held-out data), the `name=value` form Katib's metrics
collector reads, so the same file works here and on a cluster with Katib.
"""
import argparse
import os
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning-rate", type=float, default=0.01, help="eta0 of the constant schedule")
    parser.add_argument("--alpha", type=float, default=1e-4, help="L2 regularisation")
    parser.add_argument("--steps", type=int, default=10, help="passes over the training data")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if int(os.environ.get("RANK", "0")) != 0:
        return  # scikit-learn trains in one process

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.2, random_state=args.seed, stratify=digits.target
    )
    scaler = StandardScaler().fit(x_train)
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
    classes = np.unique(digits.target)

    model = SGDClassifier(
        loss="log_loss", alpha=args.alpha, learning_rate="constant", eta0=args.learning_rate, random_state=args.seed
    )
    rng = np.random.default_rng(args.seed)
    for step in range(1, args.steps + 1):
        order = rng.permutation(len(x_train))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.partial_fit(x_train[order], y_train[order], classes=classes)
        loss = log_loss(y_train, model.predict_proba(x_train), labels=classes)
        accuracy = accuracy_score(y_test, model.predict(x_test))
        print(f"step={step} loss={loss:.4f} accuracy={accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main()

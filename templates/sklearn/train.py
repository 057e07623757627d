"""Kubeflow Desktop starter: scikit-learn on the bundled 8x8 handwritten digits.

Trains a linear classifier (logistic regression by stochastic gradient descent) on
load_digits(), real data that ships with scikit-learn, so nothing is downloaded. Each step is
one pass over the training data; it prints `step=N loss=X accuracy=Y` (Y on held-out data).
At the end it saves the model (scaler + classifier, one scikit-learn Pipeline) to model.joblib,
ready to register and serve: `kfd models register --name digits --job <id> --path model.joblib`.
scikit-learn is not distributed: when started with several ranks, only rank 0 trains.
"""
import os
import warnings

import joblib
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

# Hyper-parameters: change them and run again.
LEARNING_RATE = 0.01  # eta0 for the constant schedule
STEPS = 15
ALPHA = 1e-4  # L2 regularisation
SEED = 0
# Where the trained model goes (a folder; created if missing).
MODEL_DIR = os.environ.get("MODEL_DIR", ".")


def main():
    rank = int(os.environ.get("RANK", "0"))
    if rank != 0:
        print(f"rank={rank} has nothing to do: scikit-learn trains on one process", flush=True)
        return

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.2, random_state=SEED, stratify=digits.target
    )
    scaler = StandardScaler().fit(x_train)
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
    classes = np.unique(digits.target)
    print(f"train_samples={len(x_train)} test_samples={len(x_test)} classes={len(classes)}", flush=True)

    model = SGDClassifier(loss="log_loss", alpha=ALPHA, learning_rate="constant", eta0=LEARNING_RATE, random_state=SEED)
    rng = np.random.default_rng(SEED)
    for step in range(1, STEPS + 1):
        order = rng.permutation(len(x_train))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # partial_fit on one epoch is the point here
            model.partial_fit(x_train[order], y_train[order], classes=classes)
        loss = log_loss(y_train, model.predict_proba(x_train), labels=classes)
        accuracy = accuracy_score(y_test, model.predict(x_test))
        print(f"step={step} loss={loss:.4f} accuracy={accuracy:.4f}", flush=True)

    print(f"final accuracy={accuracy:.4f}", flush=True)

    # One object that takes raw 8x8 pixel rows (64 values, 0..16) and predicts the digit.
    pipeline = Pipeline([("scale", scaler), ("classify", model)])
    os.makedirs(MODEL_DIR, exist_ok=True)
    path = os.path.join(MODEL_DIR, "model.joblib")
    joblib.dump(pipeline, path)
    print(f"saved {path}", flush=True)


if __name__ == "__main__":
    main()

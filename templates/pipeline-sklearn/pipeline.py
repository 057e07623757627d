"""A Kubeflow Pipeline on scikit-learn's bundled 8x8 digits: load -> train -> evaluate.

Compile it with `kfd pipeline compile pipeline.py` (or kfp's own compiler) and run the YAML
locally with `kfd pipeline run pipeline.yaml --follow`, or upload the same YAML to Kubeflow
Pipelines. Nothing is downloaded at run time: load_digits() ships with scikit-learn.
"""
from kfp import dsl
from kfp.dsl import ClassificationMetrics, Dataset, Input, Markdown, Metrics, Model, Output

PACKAGES = ['scikit-learn']


@dsl.component(packages_to_install=PACKAGES)
def load_digits_data(test_size: float, train: Output[Dataset], test: Output[Dataset]) -> int:
    """Splits the digits into a training and a held-out test set (stratified, fixed seed)."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=test_size, random_state=0, stratify=y)
    with open(train.path, 'wb') as f:
        np.savez(f, x=x_train, y=y_train)
    with open(test.path, 'wb') as f:
        np.savez(f, x=x_test, y=y_test)
    train.metadata['rows'] = len(y_train)
    test.metadata['rows'] = len(y_test)
    print(f'train={len(y_train)} test={len(y_test)}')
    return len(y_train)


@dsl.component(packages_to_install=PACKAGES)
def train_model(train: Input[Dataset], c: float, max_iter: int, model: Output[Model]):
    """Logistic regression on the pixel values (scaled to 0..1)."""
    import pickle

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    with open(train.path, 'rb') as f:
        data = np.load(f)
        x, y = data['x'] / 16.0, data['y']
    clf = LogisticRegression(C=c, max_iter=max_iter)
    clf.fit(x, y)
    print(f'train_accuracy={clf.score(x, y):.4f}')
    with open(model.path, 'wb') as f:
        pickle.dump(clf, f)
    model.metadata['framework'] = 'scikit-learn'


@dsl.component(packages_to_install=PACKAGES)
def evaluate(
    test: Input[Dataset],
    model: Input[Model],
    metrics: Output[Metrics],
    confusion: Output[ClassificationMetrics],
    report: Output[Markdown],
) -> float:
    """Accuracy and macro F1, the confusion matrix, a one-vs-rest ROC curve for digit 0, a report."""
    import pickle

    import numpy as np
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, roc_curve

    with open(test.path, 'rb') as f:
        data = np.load(f)
        x, y = data['x'] / 16.0, data['y']
    with open(model.path, 'rb') as f:
        clf = pickle.load(f)
    predicted = clf.predict(x)
    accuracy = float(accuracy_score(y, predicted))
    metrics.log_metric('accuracy', accuracy)
    metrics.log_metric('f1_macro', float(f1_score(y, predicted, average='macro')))
    labels = [str(d) for d in range(10)]
    confusion.log_confusion_matrix(labels, confusion_matrix(y, predicted, labels=list(range(10))).tolist())
    fpr, tpr, thresholds = roc_curve(y == 0, clf.predict_proba(x)[:, 0])
    keep = np.linspace(0, len(fpr) - 1, num=min(len(fpr), 20)).astype(int)
    confusion.log_roc_curve(fpr[keep].tolist(), tpr[keep].tolist(), np.clip(thresholds[keep], 0, 1).tolist())
    with open(report.path, 'w') as f:
        f.write('# Digits classifier\n\n')
        f.write(f'Accuracy on {len(y)} held-out digits: **{accuracy:.3f}**\n\n')
        f.write('| digit | correct | total |\n|---|---|---|\n')
        for d in range(10):
            f.write(f'| {d} | {int(((predicted == d) & (y == d)).sum())} | {int((y == d).sum())} |\n')
    print(f'accuracy={accuracy:.4f}')
    return accuracy


@dsl.pipeline(name='digits-sklearn', description='Load the bundled digits, train a logistic regression, evaluate it.')
def digits_pipeline(test_size: float = 0.2, c: float = 1.0, max_iter: int = 200):
    data = load_digits_data(test_size=test_size)
    trained = train_model(train=data.outputs['train'], c=c, max_iter=max_iter)
    evaluate(test=data.outputs['test'], model=trained.outputs['model'])

/**
 * The Python the models area runs: one script that reads an interpreter's library versions (and,
 * given a model file, the model's input/output tensors), and the launcher of a model server that
 * refuses to serve when its libraries differ from the ones the model was trained with.
 * Kept as strings so they ship inside the engine bundle.
 */

/** Libraries whose versions decide whether a pickled model loads and predicts the same. */
export const TRACKED_LIBRARIES = ['scikit-learn', 'numpy', 'scipy', 'joblib', 'xgboost', 'lightgbm', 'pandas', 'threadpoolctl', 'torch', 'onnx', 'onnxruntime', 'cloudpickle'] as const;

/**
 * argv: [format, modelFile?]. Prints one JSON line:
 * {python, executable, packages: {name: version}, model: {type, inputs, outputs, detail} | null, error}
 */
export const INSPECT_SCRIPT = String.raw`
import json, os, sys
import importlib.metadata as md
TRACKED = ${JSON.stringify(TRACKED_LIBRARIES)}
out = {"python": sys.version.split()[0], "executable": os.path.realpath(sys.executable), "packages": {}, "model": None, "error": None}
for name in TRACKED:
    try:
        out["packages"][name] = md.version(name)
    except md.PackageNotFoundError:
        pass
fmt = sys.argv[1] if len(sys.argv) > 1 else ""
path = sys.argv[2] if len(sys.argv) > 2 else ""

def dtype_name(dt):
    k = getattr(dt, "kind", "")
    size = getattr(dt, "itemsize", 8)
    if k == "f":
        return "FP32" if size == 4 else "FP64"
    if k in ("i", "u"):
        return "INT32" if size == 4 else "INT64"
    if k == "b":
        return "BOOL"
    return "BYTES"

try:
    if path and fmt == "sklearn":
        import joblib
        model = joblib.load(path)
        est = model.steps[-1][-1] if hasattr(model, "steps") else model
        n = getattr(model, "n_features_in_", None)
        inputs = [{"name": "input-0", "datatype": "FP64", "shape": [-1, int(n) if n is not None else -1]}]
        classes = getattr(est, "classes_", None)
        outputs = [{"name": "predict", "datatype": dtype_name(classes.dtype) if classes is not None else "FP64", "shape": [-1, 1]}]
        if hasattr(est, "predict_proba") and classes is not None:
            outputs.append({"name": "predict_proba", "datatype": "FP64", "shape": [-1, len(classes)]})
        detail = type(model).__module__ + "." + type(model).__name__
        if est is not model:
            detail += " ending in " + type(est).__name__
        if n is None:
            detail += "; it does not say how many features it takes (n_features_in_)"
        out["model"] = {"type": type(model).__name__, "inputs": inputs, "outputs": outputs, "detail": detail}
    elif path and fmt == "xgboost":
        import xgboost
        booster = xgboost.Booster()
        booster.load_model(path)
        n = booster.num_features()
        out["model"] = {"type": "Booster", "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [-1, int(n)]}], "outputs": [{"name": "predict", "datatype": "FP32", "shape": [-1, 1]}], "detail": "xgboost.Booster with %d features" % n}
    elif path and fmt == "lightgbm":
        import lightgbm
        booster = lightgbm.Booster(model_file=path)
        n = booster.num_feature()
        out["model"] = {"type": "Booster", "inputs": [{"name": "input-0", "datatype": "FP64", "shape": [-1, int(n)]}], "outputs": [{"name": "predict", "datatype": "FP64", "shape": [-1, 1]}], "detail": "lightgbm.Booster with %d features" % n}
except Exception as e:
    out["error"] = "%s: %s" % (type(e).__name__, e)
print(json.dumps(out))
`;

/** Written next to model-settings.json as `kfd_serve.py`; reads `kfd-serving.json`. */
export const SERVE_SCRIPT = String.raw`
"""Kubeflow Desktop: start MLServer on this folder, but only with the library versions the model
was trained with (kfd-serving.json). A difference is printed as one 'kfd-serve:' JSON line and
the server does not start, so it never serves answers from a different library version."""
import json, sys
import importlib.metadata as md

with open("kfd-serving.json") as f:
    spec = json.load(f)
problems = []
for name, want in sorted(spec.get("packages", {}).items()):
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = None
    if have != want:
        problems.append({"package": name, "trained": want, "serving": have})
for name in spec.get("server", []):
    try:
        md.version(name)
    except md.PackageNotFoundError:
        problems.append({"package": name, "trained": None, "serving": None, "server": True})
if problems:
    print("kfd-serve: " + json.dumps({"mismatch": problems, "python": sys.version.split()[0], "executable": sys.executable}), file=sys.stderr, flush=True)
    sys.exit(3)
print("kfd-serve: " + json.dumps({"versions": "match", "python": sys.version.split()[0]}), flush=True)
from mlserver.cli.main import root
sys.argv = ["mlserver", "start", "."]
root()
`;

/**
 * The suggestion process (Python), kept as text so it ships inside the engine bundle: Katib's
 * Optuna algorithms (tpe, multivariate-tpe, cmaes, sobol) and scikit-optimize's
 * bayesianoptimization, with the settings names Katib's suggestion services take.
 */
export const SUGGEST_SCRIPT = String.raw`
"""Kubeflow Desktop's suggestion process: Katib's Optuna and scikit-optimize algorithms, locally.

Reads one JSON request on stdin: {algorithm, settings, objectiveType, parameters, trials, count,
seedOffset}; writes {"assignments": [{name: value}, ...]} on stdout. The search space and the
samplers follow Katib's suggestion services (pkg/suggestion/v1beta1/optuna and skopt): the same
algorithm names and settings, completed trials told as history, values written as strings.
"""
import json
import sys
import warnings

warnings.filterwarnings("ignore")


def fmt(p, v):
    if p["type"] == "int":
        return str(int(round(float(v))))
    if p["type"] == "double":
        return repr(float(v))
    return str(v)


def seed_of(req):
    s = req["settings"].get("random_state")
    return None if s is None else int(s) + int(req.get("seedOffset", 0))


def optuna_suggest(req):
    import optuna
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    dists = {}
    for p in req["parameters"]:
        if p["type"] == "double":
            step = p.get("step")
            dists[p["name"]] = FloatDistribution(p["min"], p["max"], log=bool(p["log"]) and not step, step=step)
        elif p["type"] == "int":
            step = int(p.get("step") or 1)
            dists[p["name"]] = IntDistribution(int(p["min"]), int(p["max"]), log=bool(p["log"]) and step == 1, step=step)
        else:
            dists[p["name"]] = CategoricalDistribution(p["list"])
    s = req["settings"]
    seed = seed_of(req)
    name = req["algorithm"]
    if name in ("tpe", "multivariate-tpe"):
        kw = {"seed": seed, "multivariate": name == "multivariate-tpe"}
        if "n_startup_trials" in s:
            kw["n_startup_trials"] = int(s["n_startup_trials"])
        if "n_ei_candidates" in s:
            kw["n_ei_candidates"] = int(s["n_ei_candidates"])
        sampler = optuna.samplers.TPESampler(**kw)
    elif name == "cmaes":
        kw = {"seed": seed}
        if "sigma" in s:
            kw["sigma0"] = float(s["sigma"])
        sampler = optuna.samplers.CmaEsSampler(**kw)
    elif name == "sobol":
        sampler = optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    else:
        sampler = optuna.samplers.RandomSampler(seed=seed)
    direction = "maximize" if req["objectiveType"] == "maximize" else "minimize"
    study = optuna.create_study(sampler=sampler, direction=direction)
    for t in req["trials"]:
        if t.get("objective") is None:
            continue
        params = {}
        for p in req["parameters"]:
            raw = t["assignment"][p["name"]]
            params[p["name"]] = raw if p["type"] in ("categorical", "discrete") else (int(float(raw)) if p["type"] == "int" else float(raw))
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=float(t["objective"])))
    out = []
    for _ in range(int(req["count"])):
        trial = study.ask(dists)
        out.append({p["name"]: fmt(p, trial.params[p["name"]]) for p in req["parameters"]})
    return out


def skopt_suggest(req):
    import numpy as np
    from skopt import Optimizer
    from skopt.space import Categorical, Integer, Real

    dims = []
    for p in req["parameters"]:
        if p["type"] == "double":
            dims.append(Real(p["min"], p["max"], prior="log-uniform" if p["log"] else "uniform", name=p["name"]))
        elif p["type"] == "int":
            dims.append(Integer(int(p["min"]), int(p["max"]), name=p["name"]))
        else:
            dims.append(Categorical(p["list"], name=p["name"]))
    s = req["settings"]
    opt = Optimizer(
        dims,
        base_estimator=s.get("base_estimator", "GP"),
        n_initial_points=int(s.get("n_initial_points", 10)),
        acq_func=s.get("acq_func", "gp_hedge"),
        acq_optimizer=s.get("acq_optimizer", "auto"),
        random_state=seed_of(req),
    )
    xs, ys = [], []
    for t in req["trials"]:
        if t.get("objective") is None:
            continue
        x = []
        for p in req["parameters"]:
            raw = t["assignment"][p["name"]]
            x.append(raw if p["type"] in ("categorical", "discrete") else (int(float(raw)) if p["type"] == "int" else float(raw)))
        y = float(t["objective"])
        xs.append(x)
        ys.append(-y if req["objectiveType"] == "maximize" else y)
    if xs:
        opt.tell(xs, ys)
    points = opt.ask(n_points=int(req["count"])) if int(req["count"]) > 1 else [opt.ask()]
    out = []
    for x in points:
        out.append({p["name"]: fmt(p, v.item() if isinstance(v, np.generic) else v) for p, v in zip(req["parameters"], x)})
    return out


def main():
    req = json.load(sys.stdin)
    if req["algorithm"] == "bayesianoptimization":
        assignments = skopt_suggest(req)
    else:
        assignments = optuna_suggest(req)
    json.dump({"assignments": assignments}, sys.stdout)


if __name__ == "__main__":
    main()
`;

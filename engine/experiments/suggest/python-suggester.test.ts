/**
 * The Python suggestion process for real: its pinned venv built with ensureEnv from the package
 * index (or KFD_WHEELHOUSE), then each Optuna / scikit-optimize algorithm asked like the
 * orchestrator asks. Determinism and bounds per algorithm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON } from '../../jobs/test-support/python.js';
import { parseExperiment, type ExperimentPlan } from '../parse-experiment.js';
import { inSpace } from '../search-space.js';
import { experimentYaml } from '../test-support/experiment-yaml.js';
import { testEnvsDataDir } from '../test-support/python-envs.js';
import { PythonSuggester } from './python-suggester.js';
import { suggest } from './suggestions.js';

const SPACE = `    - name: lr
      parameterType: double
      feasibleSpace: {min: "0.001", max: "0.1", distribution: logUniform}
    - name: alpha
      parameterType: double
      feasibleSpace: {min: "0.0", max: "1.0", step: "0.25"}
    - name: layers
      parameterType: int
      feasibleSpace: {min: "1", max: "4"}
    - name: optimizer
      parameterType: categorical
      feasibleSpace: {list: ["sgd", "adam"]}`;

function plan(algorithm: string): ExperimentPlan {
  const r = parseExperiment(experimentYaml({ algorithm, settings: '', parameters: SPACE }), 'experiment.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

const python = new PythonSuggester({ dataDir: testEnvsDataDir(), env: { ...process.env, KFD_PYTHON: process.env.KFD_PYTHON ?? PYTHON }, settings: () => ({}) });

describe('Python suggestion algorithms (Optuna, scikit-optimize)', () => {
  beforeAll(async () => {
    const t0 = Date.now();
    await python.prepare({ onProgress: (p) => p.step !== 'pip' && console.log(p.message) });
    console.log(`suggestion env ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);

  // A history of finished trials the samplers learn from.
  const history = (p: ExperimentPlan) =>
    suggest({ plan: { ...p, algorithm: { name: 'random', settings: {} } }, seed: 3, trials: [], count: 6 }, null).then((r) =>
      r.assignments.map((a) => ({ assignment: a, objective: 1 - Math.abs(Math.log10(Number(a.lr)) + 2) / 3 })),
    );

  for (const algorithm of ['tpe', 'multivariate-tpe', 'cmaes', 'sobol', 'bayesianoptimization']) {
    it(`${algorithm}: same random_state and history → same suggestions; all in bounds (step, int, log, list)`, async () => {
      const p = plan(algorithm);
      const trials = await history(p);
      const a = await suggest({ plan: p, seed: 11, trials, count: 3 }, python);
      const b = await suggest({ plan: p, seed: 11, trials, count: 3 }, python);
      expect(a.assignments).toHaveLength(3);
      expect(b.assignments).toEqual(a.assignments);
      const c = await suggest({ plan: p, seed: 12, trials, count: 3 }, python);
      expect(c.assignments).not.toEqual(a.assignments);
      for (const s of [...a.assignments, ...c.assignments]) for (const ps of p.parameters) expect(inSpace(ps, s[ps.name]!), `${ps.name}=${s[ps.name]}`).toBe(true);
      // A later suggestion (one more trial made) is not a repeat of the first.
      const next = await suggest({ plan: p, seed: 11, trials: [...trials, { assignment: a.assignments[0]!, objective: null }], count: 1 }, python);
      expect(next.assignments[0]).not.toEqual(a.assignments[0]);
    }, 120_000);
  }
});

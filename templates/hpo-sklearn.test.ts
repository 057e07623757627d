/**
 * The hpo-sklearn template: its experiment.yaml is a clean Katib Experiment, and `tune` on it
 * finds a good classifier with real scikit-learn trials (Debian's python3-sklearn here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../engine/experiments/parse-experiment.js';
import { PYTHON, jobEnv, probePython } from '../engine/jobs/test-support/python.js';
import { TestEngine, waitFor } from '../engine/jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../engine/test-support/real-parts.js';

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hpo-sklearn');
const missing = probePython('import sklearn');
const hasSklearn = missing === null || reportMissingPart('python3 with scikit-learn', missing);

describe('hpo-sklearn template', () => {
  it('experiment.yaml is a Katib Experiment with no errors or warnings, tuning learning rate and alpha', () => {
    const r = parseExperiment(fs.readFileSync(path.join(here, 'experiment.yaml'), 'utf8'), 'hpo-sklearn/experiment.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.plan.parameters.map((p) => p.name)).toEqual(['learning-rate', 'alpha']);
    expect(r.plan.objective).toMatchObject({ type: 'maximize', metric: 'accuracy' });
  });

  it.runIf(hasSklearn)('tune: 12 scikit-learn trials, two at a time, find a classifier above 90% accuracy', async () => {
    const dir = makeTempDir('experiments', 'hpo');
    fs.cpSync(here, path.join(dir, 'ws'), { recursive: true });
    const t = TestEngine.open(path.join(dir, 'data'), jobEnv({ KFD_PYTHON: PYTHON }));
    try {
      const started = Date.now();
      const { id } = await t.call('experiments.create', { path: path.join(dir, 'ws') });
      const e = await waitFor('the sweep to end', async () => {
        const d = await t.call('experiments.get', { id });
        return d.status === 'Succeeded' || d.status === 'Failed' ? d : null;
      }, 170_000, 250);
      console.log(`hpo-sklearn: 12 trials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(e).toMatchObject({ status: 'Succeeded', reason: 'ExperimentMaxTrialsReached' });
      expect(e.trials).toHaveLength(12);
      expect(e.bestTrial!.objective).toBeGreaterThan(0.9);
      expect(e.trials.some((tr) => tr.objective! < e.bestTrial!.objective - 0.05)).toBe(true); // the parameters matter
    } finally {
      await t.close();
    }
  }, 180_000);
});

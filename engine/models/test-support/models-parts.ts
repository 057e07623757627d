/**
 * Helpers for the models tests: a trained sklearn template model (a real job of
 * /usr/bin/python3), the held-out digits with the model's own predictions, and one venv cache
 * shared by every test data dir (MLServer + the training versions is ~500 MB: built once per
 * machine, like a user's, not once per test). No vitest import: bench uses it too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jobEnv, PYTHON } from '../../jobs/test-support/python.js';
import type { TestEngine } from '../../jobs/test-support/test-engine.js';
import { copyTemplate } from '../../jobs/test-support/workspaces.js';

/** Where the serving venvs of all test runs live (KFD_TEST_SERVING_ENVS overrides). */
export const SHARED_ENVS = process.env.KFD_TEST_SERVING_ENVS ?? path.join(os.tmpdir(), 'kfd-test-serving-envs');

/** The engine env for models tests: jobEnv plus the user's pip and proxy settings (pip needs them). */
export function modelsEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^PIP_|^(https?|no)_proxy$/i.test(k) || k === 'KFD_WHEELHOUSE'));
  return jobEnv({ ...passed, ...extra });
}

/** Points `<dataDir>/python-envs` at the shared cache. */
export function shareServingEnvs(dataDir: string): void {
  fs.mkdirSync(SHARED_ENVS, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.symlinkSync(SHARED_ENVS, path.join(dataDir, 'python-envs'));
}

/** Runs the sklearn template as a job and returns its id and workspace (model.joblib in it). */
export async function trainTemplateModel(t: TestEngine, dir: string): Promise<{ jobId: string; workspace: string }> {
  const workspace = copyTemplate('sklearn', dir);
  const job = await t.call('jobs.run', { path: workspace });
  const done = await t.waitForStatus(job.id, undefined, 120_000);
  if (done.status !== 'Complete') throw new Error(`the sklearn template job ${done.status}: ${done.message} ${done.failureLog.join('\n')}`);
  return { jobId: job.id, workspace };
}

const HELD_OUT = `
import json, sys, joblib
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
d = load_digits()
_, x, _, y = train_test_split(d.data, d.target, test_size=0.2, random_state=0, stratify=d.target)
n = int(sys.argv[2])
model = joblib.load(sys.argv[1])
print(json.dumps({"x": x[:n].tolist(), "y": y[:n].tolist(), "predict": model.predict(x[:n]).tolist(), "proba": model.predict_proba(x[:n]).tolist()}))
`;

/** The template's held-out split (the same seed), and what the model file itself predicts for it. */
export function heldOutDigits(modelFile: string, n = 50): { x: number[][]; y: number[]; predict: number[]; proba: number[][] } {
  return JSON.parse(execFileSync(PYTHON, ['-c', HELD_OUT, modelFile, String(n)], { encoding: 'utf8' })) as { x: number[][]; y: number[]; predict: number[]; proba: number[][] };
}

/** A V2 infer request for rows of 64 pixels. */
export function digitsRequest(x: number[][], outputs = ['predict']) {
  return { inputs: [{ name: 'input-0', datatype: 'FP64', shape: [x.length, 64], data: x.flat() }], outputs: outputs.map((name) => ({ name })) };
}

/** Third-party schemas (KServe CRDs, the Model Registry OpenAPI) are read from ../shared/third_party (KFD_THIRD_PARTY overrides), never copied into the repo. */
export const THIRD_PARTY = process.env.KFD_THIRD_PARTY ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../shared/third_party');

/** The path of a third-party file, or null (and why) when it is not there. */
export function thirdPartyFile(rel: string): { file: string | null; reason: string } {
  const file = path.join(THIRD_PARTY, rel);
  return fs.existsSync(file) ? { file, reason: '' } : { file: null, reason: `${file} is missing (third-party schemas live in ../shared/third_party; set KFD_THIRD_PARTY)` };
}

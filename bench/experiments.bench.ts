/**
 * What tuning costs on top of the trials themselves:
 * (a) 24 one-second trials at parallelTrialCount 4 (each declares cpu 500m, so the core cap lets
 *     4 run on 2 cores): experiment wall time against the ideal 24/4 = 6 s, and against starting
 *     the same 24 `python3 -c 'sleep 1'` processes 4 at a time by hand (measured in this run);
 * (b) suggestion latency per algorithm: one suggestion after 10 finished trials (median of 5),
 *     random and grid in-process, the others through the Python suggestion process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/engine.js';
import { parseExperiment } from '../engine/experiments/parse-experiment.js';
import { PythonSuggester } from '../engine/experiments/suggest/python-suggester.js';
import { suggest } from '../engine/experiments/suggest/suggestions.js';
import { experimentYaml } from '../engine/experiments/test-support/experiment-yaml.js';
import { testEnvsDataDir } from '../engine/experiments/test-support/python-envs.js';
import { jobEnv, probePython, PYTHON } from '../engine/jobs/test-support/python.js';
import { median, ratioLine, type Sample } from './measure.js';

const TRIALS = 24;
const PARALLEL = 4;

function sweepYaml(): string {
  return experimentYaml({ name: 'bench-sweep', maxTrialCount: TRIALS, parallel: PARALLEL, command: '["python3", "-c", "import time; time.sleep(1); print(\'accuracy=0.5\')", "--"]' }).replace(
    '          env:\n',
    '          resourcesPerNode:\n            limits: {cpu: 500m}\n          env:\n',
  );
}

async function byHand(): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < TRIALS) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const p = spawn(PYTHON, ['-c', "import time; time.sleep(1); print('accuracy=0.5')"], { stdio: 'ignore' });
        p.on('error', reject);
        p.on('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return performance.now() - t0;
}

async function sweep(dir: string): Promise<string[]> {
  const reason = probePython('import sys');
  if (reason) return [`24-trial sweep: skipped (${reason})`];
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'experiment.yaml'), sweepYaml());
  const engine = createEngine({ dataDir: path.join(dir, 'engine'), env: jobEnv() });
  try {
    const t0 = performance.now();
    const answer = await engine.dispatch('experiments.create', { path: ws });
    if ('error' in answer) throw new Error(answer.error.message);
    const id = (answer.result as { id: string }).id;
    for (;;) {
      const got = await engine.dispatch('experiments.get', { id });
      const e = (got as { result: { status: string; counts: { succeeded: number } } }).result;
      if (e.status === 'Succeeded' || e.status === 'Failed') {
        if (e.counts.succeeded !== TRIALS) throw new Error(`only ${e.counts.succeeded} of ${TRIALS} trials succeeded`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = performance.now() - t0;
    const ideal: Sample = { name: `ideal ${TRIALS}/${PARALLEL} × 1 s`, medianMs: (TRIALS / PARALLEL) * 1000, opsPerSec: 0 };
    const hand: Sample = median(`${TRIALS} python3 sleeps started by hand, ${PARALLEL} at a time`, [await byHand()]);
    const ours: Sample = median(`experiment of ${TRIALS} one-second trials at parallelism ${PARALLEL}`, [wall]);
    return [ratioLine(ours, ideal), ratioLine(ours, hand)];
  } finally {
    await engine.close();
  }
}

async function latencies(): Promise<string[]> {
  const lines: string[] = [];
  const python = new PythonSuggester({ dataDir: testEnvsDataDir(), env: { ...process.env, KFD_PYTHON: PYTHON }, settings: () => ({}) });
  let pythonReady = true;
  try {
    await python.prepare();
  } catch (err) {
    pythonReady = false;
    lines.push(`Python algorithms skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  for (const algorithm of ['random', 'grid', 'tpe', 'multivariate-tpe', 'cmaes', 'sobol', 'bayesianoptimization']) {
    if (!pythonReady && algorithm !== 'random' && algorithm !== 'grid') continue;
    const r = parseExperiment(experimentYaml({ algorithm, settings: '', parameters: algorithm === 'grid' ? '    - name: lr\n      parameterType: double\n      feasibleSpace: {min: "0.001", max: "0.1", step: "0.001"}\n    - name: alpha\n      parameterType: double\n      feasibleSpace: {min: "0", max: "1", step: "0.25"}\n    - name: layers\n      parameterType: int\n      feasibleSpace: {min: "1", max: "4"}\n    - name: optimizer\n      parameterType: categorical\n      feasibleSpace: {list: ["sgd", "adam"]}' : undefined }), 'experiment.yaml');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const history = (await suggest({ plan: { ...r.plan, algorithm: { name: 'random', settings: {} } }, seed: 1, trials: [], count: 10 }, null)).assignments.map((a, i) => ({ assignment: a, objective: i / 10 }));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await suggest({ plan: r.plan, seed: 7 + i, trials: history, count: 1 }, python);
      times.push(performance.now() - t0);
    }
    const s = median(algorithm, times);
    lines.push(`suggestion latency ${algorithm}: ${s.medianMs.toFixed(1)} ms median (1 suggestion after 10 trials)`);
  }
  return lines;
}

export async function run(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-experiments-'));
  try {
    return [...(await sweep(dir)), ...(await latencies())];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pipelines: a 20-task chain of no-op lightweight components (compiled by real kfp), run by the
 * engine on local processes (no cache) against kfp's own local runner (kfp.local with
 * SubprocessRunner, in the same managed kfp environment) on the same YAML, in the same run.
 * Prints wall time and per-task overhead for both and the ratio.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestEngine, waitFor } from '../engine/jobs/test-support/test-engine.js';
import { compileFixture, KFP_TEST_DATA, KFP_TEST_ENV, kfpUnavailable, seedKfpRuntime, shareKfpEnvs } from '../engine/pipelines/test-support/kfp-fixtures.js';
import { ensureKfpEnv } from '../engine/pipelines/kfp/kfp-env.js';
import { median, ratioLine } from './measure.js';

const TASKS = 20;

const SOURCE = `
from kfp import dsl

@dsl.component
def noop(x: int) -> int:
    return x + 1

@dsl.pipeline(name='noop-chain')
def chain(start: int = 0):
    t = noop(x=start)
    for _ in range(${TASKS - 1}):
        t = noop(x=t.output)
`;

const KFP_LOCAL = `
import sys, time, warnings
warnings.simplefilter('ignore')
from kfp import local, components
local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=sys.argv[2])
pipeline = components.load_component_from_file(sys.argv[1])
t0 = time.perf_counter()
pipeline(start=0)
print('KFD-MS', (time.perf_counter() - t0) * 1000)
`;

export async function run(): Promise<string[]> {
  const missing = await kfpUnavailable();
  if (missing) return [`skipped: ${missing}`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-pipelines-'));
  try {
    const yaml = await compileFixture(dir, 'chain', SOURCE);
    const data = path.join(dir, 'data');
    shareKfpEnvs(data);
    await seedKfpRuntime(data);

    const engine = TestEngine.open(data);
    let ours: number;
    try {
      const t0 = performance.now();
      const started = await engine.call('pipelines.run', { path: yaml, enableCache: false });
      const done = await waitFor('the chain to end', async () => {
        const r = await engine.call('pipelines.get', { id: started.id });
        return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
      }, 600_000, 20);
      ours = performance.now() - t0;
      if (done.status !== 'Succeeded') return [`engine run ${done.status}: ${done.message}`];
      const last = done.tasks.find((t) => t.outputs.parameters.Output === TASKS);
      if (!last) return ['engine run: the last task did not output 20'];
    } finally {
      await engine.engine.close();
    }

    const kfp = await ensureKfpEnv({ dataDir: KFP_TEST_DATA, env: KFP_TEST_ENV, settings: {} });
    const local = spawnSync(kfp.python, ['-c', KFP_LOCAL, yaml, path.join(dir, 'kfp-local-root')], { encoding: 'utf8', env: { ...KFP_TEST_ENV, PIP_DISABLE_PIP_VERSION_CHECK: '1' }, timeout: 900_000 });
    const ms = Number(/KFD-MS ([\d.]+)/.exec(local.stdout)?.[1]);
    if (local.status !== 0 || !Number.isFinite(ms)) return [`kfp.local failed: ${(local.stderr || local.stdout).split('\n').slice(-5).join(' ')}`];

    const a = median(`engine, ${TASKS} tasks on local processes`, [ours]);
    const b = median(`kfp.local SubprocessRunner, same YAML`, [ms]);
    return [
      ratioLine(a, b),
      `per task: engine ${(ours / TASKS).toFixed(0)} ms, kfp.local ${(ms / TASKS).toFixed(0)} ms (each task is one Python process running kfp's executor; kfp.local also runs pip for kfp==<version> in every task)`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A killed app resumes its pipeline runs: the engine closes while a task's process runs (the
 * process outlives it, as after a crash), a new engine on the same data dir re-attaches the task's
 * job through the job service, reads its outputs and starts the next task — from one resume().
 * Also: packages_to_install become the task's managed environment. Needs python3 and kfp (PyPI).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { compileFixture, kfpUnavailable, seedKfpRuntime } from './test-support/kfp-fixtures.js';

const missing = await kfpUnavailable();
if (missing) reportMissingPart('kfp (PyPI)', missing);

const SLOW = `
from kfp import dsl

@dsl.component
def slow(seconds: float) -> str:
    import time
    time.sleep(seconds)
    return 'slept'

@dsl.component(packages_to_install=['six==1.17.0'])
def uses_six(x: str) -> str:
    import six, sys
    return x + ' with six ' + six.__version__ + ' in ' + sys.prefix

@dsl.pipeline(name='resumable')
def resumable(seconds: float = 4.0):
    s = slow(seconds=seconds)
    uses_six(x=s.output)
`;

describe.runIf(!missing)('pipeline runs survive the app being closed', () => {
  let dir = '';
  let yaml = '';
  let engine: TestEngine | null = null;
  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'resume');
    yaml = await compileFixture(dir, 'resumable', SLOW);
    await seedKfpRuntime(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => engine?.engine.close());

  it('a new engine finishes the run the old one started', async () => {
    const first = TestEngine.open(path.join(dir, 'data'));
    const started = await first.call('pipelines.run', { path: yaml, parameters: { seconds: 4 } });
    await waitFor('slow to be running', async () => (await first.call('pipelines.get', { id: started.id })).tasks.find((t) => t.path === 'slow')?.status === 'Running', 60_000, 100);
    await first.engine.close();

    engine = TestEngine.open(path.join(dir, 'data'));
    const run = await waitFor('the resumed run to end', async () => {
      const r = await engine!.call('pipelines.get', { id: started.id });
      return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
    }, 240_000, 250);
    expect(run.status, JSON.stringify(run.tasks.map((t) => [t.path, t.status, t.message]))).toBe('Succeeded');
    const six = run.tasks.find((t) => t.path === 'uses-six')!;
    expect(six.outputs.parameters.Output).toMatch(/^slept with six 1\.17\.0 in .*python-envs/);
    const job = await engine.call('jobs.get', { id: six.jobId! });
    expect(job.spec).toContain('kubeflow-desktop/packages: six==1.17.0');
  }, 300_000);
});

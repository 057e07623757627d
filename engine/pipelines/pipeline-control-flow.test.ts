/**
 * The rest of KFP's control flow on real kfp output, run on local processes: a nested pipeline
 * with an output, ParallelFor over artifacts (a nested pipeline taking Input[List[Dataset]]),
 * dsl.OneOf, ignore_upstream_failure, an exit handler reading PipelineTaskFinalStatus, an
 * importer, and a cancelled run. Needs python3 and kfp (PyPI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRunDetail } from '../api/contract.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { compileFixture, kfpUnavailable, seedKfpRuntime } from './test-support/kfp-fixtures.js';

const missing = await kfpUnavailable();
if (missing) reportMissingPart('kfp (PyPI)', missing);

const SOURCE = `
from typing import List
from kfp import dsl
from kfp.dsl import Dataset, Input, Output

@dsl.component
def make(i: int, d: Output[Dataset]):
    open(d.path, 'w').write('item-%d' % i)

@dsl.component
def read(d: Input[Dataset]) -> str:
    return open(d.path).read()

@dsl.component
def count(ds: Input[List[Dataset]]) -> int:
    return len(ds)

@dsl.component
def coin(side: str) -> str:
    return side

@dsl.component
def shout(s: str) -> str:
    return s.upper()

@dsl.component
def fail(msg: str):
    raise RuntimeError(msg)

@dsl.component
def after_failure(msg: str = 'default') -> str:
    return 'ran with ' + msg

@dsl.component
def report(status: dsl.PipelineTaskFinalStatus) -> str:
    print('final state', status.state, status.pipeline_task_name)
    return status.state

@dsl.component
def size(d: Input[Dataset]) -> int:
    import os
    return os.path.getsize(d.path)

@dsl.pipeline(name='read-all')
def read_all(ds: Input[List[Dataset]]):
    with dsl.ParallelFor(ds, parallelism=2) as d:
        read(d=d)

@dsl.pipeline(name='inner')
def inner(side: str) -> str:
    return shout(s=side).output

@dsl.pipeline(name='flow-control')
def flow(side: str = 'heads', imported: str = ''):
    r = report()
    with dsl.ExitHandler(r):
        with dsl.ParallelFor([1, 2, 3]) as i:
            m = make(i=i)
        k = count(ds=dsl.Collected(m.outputs['d']))
        ra = read_all(ds=dsl.Collected(m.outputs['d']))
        c = coin(side=side)
        with dsl.If(c.output == 'heads'):
            a = shout(s='a')
        with dsl.Else():
            b = shout(s='b')
        pick = dsl.OneOf(a.output, b.output)
        s1 = shout(s=pick)
        n = inner(side=side)
        s2 = shout(s=n.output)
        imp = dsl.importer(artifact_uri=imported, artifact_class=Dataset, reimport=False)
        z = size(d=imp.output)
        # Last, so fail-fast stops nothing the test looks at.
        f = fail(msg='on purpose').after(k, ra, s1, s2, z)
        after_failure(msg='x').after(f).ignore_upstream_failure()
`;

const SLOW = `
from kfp import dsl

@dsl.component
def sleep(s: float) -> float:
    import time
    time.sleep(s)
    return s

@dsl.pipeline(name='slow')
def slow():
    a = sleep(s=30.0)
    sleep(s=0.1).after(a)
`;

describe.runIf(!missing)('KFP control flow on local processes (real kfp)', () => {
  let dir = '';
  let engine: TestEngine;
  let yaml = '';
  let slowYaml = '';
  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'flow');
    yaml = await compileFixture(dir, 'flow', SOURCE);
    slowYaml = await compileFixture(dir, 'slow', SLOW);
    await seedKfpRuntime(path.join(dir, 'data'));
    engine = TestEngine.open(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => engine?.engine.close());

  const finish = (id: string) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await engine.call('pipelines.get', { id });
      return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
    }, 240_000, 200);
  const byName = (run: PipelineRunDetail, suffix: string) => run.tasks.filter((t) => t.path === suffix || t.path.endsWith(`/${suffix}`));

  it('loops over artifacts, picks the OneOf branch, runs nested pipelines, the importer and the exit handler', async () => {
    const imported = path.join(dir, 'external.csv');
    fs.writeFileSync(imported, 'a,b\n1,2\n');
    const run = await finish((await engine.call('pipelines.run', { path: yaml, parameters: { side: 'tails', imported } })).id);
    const states = JSON.stringify(run.tasks.map((t) => [t.path, t.status, t.message]));
    // fail() fails the run; everything that does not depend on it succeeded.
    expect(run.status, states).toBe('Failed');
    expect(run.message).toContain('Task exit-handler-1/fail failed');
    expect(byName(run, 'count')[0]!.outputs.parameters.Output).toBe(3);
    const reads = run.tasks.filter((t) => /read-all\/for-loop-\d+\[\d\]\/read$/.test(t.path));
    expect(reads.map((t) => t.outputs.parameters.Output).sort()).toEqual(['item-1', 'item-2', 'item-3']);
    // tails: the Else branch ran, and OneOf took its output.
    const shouts = run.tasks.filter((t) => t.kind === 'task' && t.component.startsWith('comp-shout'));
    expect(shouts.map((t) => [t.inputs.parameters.s, t.outputs.parameters.Output]).sort()).toEqual([['B', 'B'], ['TAILS', 'TAILS'], ['b', 'B'], ['tails', 'TAILS']]);
    expect(byName(run, 'size')[0]!.outputs.parameters.Output).toBe(8);
    expect(byName(run, 'importer')[0]!.outputs.artifacts.artifact![0]!.uri).toBe(imported);
    expect(byName(run, 'after-failure')[0]!.outputs.parameters.Output).toBe('ran with x');
    expect(byName(run, 'report')[0]!.outputs.parameters.Output).toBe('FAILED');
  }, 300_000);

  it('cancels a run: the running task\'s job is cancelled, the next task never starts', async () => {
    const started = await engine.call('pipelines.run', { path: slowYaml, parameters: {} });
    await waitFor('the first task to run', async () => (await engine.call('pipelines.get', { id: started.id })).tasks.find((t) => t.path === 'sleep')?.status === 'Running', 60_000, 100);
    await engine.call('pipelines.cancel', { id: started.id });
    const run = await finish(started.id);
    expect(run.status).toBe('Cancelled');
    expect(run.tasks.find((t) => t.path === 'sleep')!.status).toBe('Cancelled');
    expect(run.tasks.find((t) => t.path === 'sleep-2')!.status).toBe('Skipped');
    const job = await engine.call('jobs.get', { id: run.tasks.find((t) => t.path === 'sleep')!.jobId! });
    expect(job.status).toBe('Cancelled');
  }, 120_000);
});

/**
 * Compiled KFP pipelines (compiled by real kfp in this test) run on local processes through the
 * real engine: parameters and artifacts passed between tasks, conditions, ParallelFor with a
 * parallelism limit, an exit handler, a container component's output file, caching, retries and
 * re-running from the failed task. Needs python3 and kfp from PyPI (a managed environment).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import type { PipelineRunDetail } from '../api/contract.js';
import { compileFixture, kfpUnavailable, seedKfpRuntime } from './test-support/kfp-fixtures.js';

const missing = await kfpUnavailable();

const FLOW = `
from typing import List
from kfp import dsl
from kfp.dsl import Dataset, Input, Metrics, Output

@dsl.component
def add(a: float, b: float) -> float:
    return a + b

@dsl.component
def make_data(n: int, data: Output[Dataset]) -> int:
    with open(data.path, 'w') as f:
        f.write('x' * n)
    return n * 2

@dsl.component
def measure(data: Input[Dataset], metrics: Output[Metrics]) -> int:
    size = len(open(data.path).read())
    metrics.log_metric('size', size)
    return size

@dsl.component
def square(x: int) -> int:
    return x * x

@dsl.component
def total(xs: List[int]) -> int:
    return sum(xs)

@dsl.component
def say(msg: str) -> str:
    print('saying', msg)
    return msg

@dsl.container_component
def shout(msg: str, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image='kfd-test/python:bookworm', command=['sh', '-c'], args=['printf "%s!" "$0" > "$1"', msg, out])

@dsl.pipeline(name='flow')
def flow(n: int = 3, word: str = 'hi'):
    bye = say(msg='bye')
    with dsl.ExitHandler(bye):
        s = add(a=1.0, b=2.0)
        d = make_data(n=n).after(s)
        m = measure(data=d.outputs['data'])
        with dsl.If(m.outputs['Output'] > 2, name='big'):
            say(msg='big')
        with dsl.Else():
            say(msg='small')
        with dsl.ParallelFor([1, 2, 3], parallelism=2) as i:
            q = square(x=i)
        total(xs=dsl.Collected(q.output))
        shout(msg=word)
`;

const FLAKY = `
from kfp import dsl

@dsl.component
def produce(tag: str) -> str:
    return 'made-' + tag

@dsl.component
def consume(x: str, marker: str) -> str:
    import os
    if not os.path.exists(marker):
        raise RuntimeError('no marker at ' + marker)
    return x + '-used'

@dsl.component
def count_attempts(marker: str) -> int:
    import os
    n = int(open(marker).read()) + 1 if os.path.exists(marker) else 1
    open(marker, 'w').write(str(n))
    if n < 2:
        raise RuntimeError('attempt %d fails' % n)
    return n

@dsl.pipeline(name='flaky')
def flaky(marker: str, counter: str):
    p = produce(tag='a')
    consume(x=p.output, marker=marker)
    count_attempts(marker=counter).set_retry(num_retries=2, backoff_duration='0s')
`;

describe.runIf(!missing)('pipelines on local processes (real kfp)', () => {
  let dir = '';
  let engine: TestEngine;
  let flowYaml = '';
  let flakyYaml = '';

  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'local');
    flowYaml = await compileFixture(dir, 'flow', FLOW);
    flakyYaml = await compileFixture(dir, 'flaky', FLAKY);
    await seedKfpRuntime(path.join(dir, 'data'));
    engine = TestEngine.open(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => engine?.engine.close());

  const finished = (id: string, timeoutMs = 180_000) =>
    waitFor(`pipeline run ${id} to end`, async () => {
      const run = await engine.call('pipelines.get', { id });
      return ['Succeeded', 'Failed', 'Cancelled'].includes(run.status) ? run : null;
    }, timeoutMs, 200);
  const task = (run: PipelineRunDetail, p: string) => {
    const t = run.tasks.find((x) => x.path === p);
    if (!t) throw new Error(`no task ${p} in ${run.tasks.map((x) => x.path).join(', ')}`);
    return t;
  };

  it('runs the DAG: parameters, artifacts, condition, ParallelFor, exit handler, output files', async () => {
    const started = await engine.call('pipelines.run', { path: flowYaml, parameters: { n: '4' } });
    expect(started.parameters).toEqual({ n: 4, word: 'hi' });
    const run = await finished(started.id);
    expect(run.status, JSON.stringify(run.tasks.map((t) => [t.path, t.status, t.message]))).toBe('Succeeded');
    expect(task(run, 'exit-handler-1/add').outputs.parameters.Output).toBe(3);
    const data = task(run, 'exit-handler-1/make-data').outputs.artifacts.data![0]!;
    expect(fs.readFileSync(data.uri, 'utf8')).toBe('xxxx');
    expect(data.uri.startsWith(path.join(dir, 'data', 'pipelines', 'root', 'flow', run.id))).toBe(true);
    const measure = task(run, 'exit-handler-1/measure');
    expect(measure.inputs.artifacts.data![0]!.uri).toBe(data.uri);
    expect(measure.outputs.parameters.Output).toBe(4);
    expect(measure.outputs.artifacts.metrics![0]!.metadata).toEqual({ size: 4 });
    // The If branch ran, the Else branch was skipped.
    const big = run.tasks.find((t) => t.name === 'big')!;
    const other = run.tasks.find((t) => t.kind === 'condition' && t.name !== 'big' && t.parent === big.parent)!;
    expect([big.status, other.status]).toEqual(['Succeeded', 'Skipped']);
    expect(task(run, 'exit-handler-1/total').outputs.parameters.Output).toBe(14);
    expect(run.tasks.filter((t) => t.kind === 'iteration').map((t) => t.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(task(run, 'exit-handler-1/shout').outputs.parameters.out).toBe('hi!');
    expect(task(run, 'say').status).toBe('Succeeded');
    // Every executor task is a job of ours, owned by the run.
    const { jobs } = await engine.call('jobs.list', { owner: { kind: 'pipeline-run', id: run.id } });
    expect(jobs.length).toBe(run.tasks.filter((t) => t.kind === 'task').length);
    expect(jobs.every((j) => j.status === 'Complete' && j.owner?.role)).toBe(true);
    const logs = await engine.call('jobs.logs', { id: task(run, 'say').jobId!, limit: 500 });
    expect(logs.lines.map((l) => l.text).join('\n')).toContain('saying bye');

    // The same run again: every cacheable task is reused, and says so.
    const again = await finished((await engine.call('pipelines.run', { path: flowYaml, parameters: { n: 4 } })).id);
    expect(again.status).toBe('Succeeded');
    const leafs = again.tasks.filter((t) => t.kind === 'task');
    expect(leafs.filter((t) => !t.cached).map((t) => [t.path, t.message])).toEqual([]);
    expect(task(again, 'exit-handler-1/make-data').outputs.artifacts.data![0]!.uri).toBe(data.uri);
    expect(task(again, 'exit-handler-1/add').message).toContain(`Cached: the result of run ${run.id}`);
    // --no-cache runs them again.
    const fresh = await finished((await engine.call('pipelines.run', { path: flowYaml, parameters: { n: 4 }, enableCache: false })).id);
    expect(fresh.tasks.filter((t) => t.kind === 'task').some((t) => t.cached)).toBe(false);
    // A changed parameter changes the keys of the tasks that read it.
    const changed = await finished((await engine.call('pipelines.run', { path: flowYaml, parameters: { n: 1 } })).id);
    expect(task(changed, 'exit-handler-1/add').cached).toBe(true);
    expect(task(changed, 'exit-handler-1/make-data').cached).toBe(false);
    expect(changed.tasks.find((t) => t.name === 'big')!.status).toBe('Skipped');
  }, 600_000);

  it('retries a task by its retry policy; a failed task names itself, and a re-run reuses what succeeded', async () => {
    const marker = path.join(dir, 'marker');
    const counter = path.join(dir, 'counter');
    const first = await finished((await engine.call('pipelines.run', { path: flakyYaml, parameters: { marker, counter } })).id);
    expect(first.status).toBe('Failed');
    expect(first.message).toContain('Task consume failed');
    expect(task(first, 'count-attempts').status).toBe('Succeeded');
    expect([task(first, 'count-attempts').attempt, task(first, 'count-attempts').message]).toEqual([1, 'Succeeded on attempt 2.']);
    expect(task(first, 'count-attempts').outputs.parameters.Output).toBe(2);
    const failedJob = await engine.call('jobs.get', { id: task(first, 'consume').jobId! });
    expect(failedJob.failureLog.join('\n')).toContain('no marker at');

    fs.writeFileSync(marker, 'ok');
    const second = await finished((await engine.call('pipelines.rerun', { id: first.id })).id);
    expect(second.status).toBe('Succeeded');
    expect(second.rerunOf).toBe(first.id);
    expect(task(second, 'produce').cached).toBe(true);
    expect(task(second, 'produce').jobId).toBe(task(first, 'produce').jobId);
    expect(task(second, 'count-attempts').cached).toBe(true);
    expect(task(second, 'consume').cached).toBe(false);
    expect(task(second, 'consume').outputs.parameters.Output).toBe('made-a-used');
  }, 300_000);

  it('refuses a parameter of the wrong type, naming it', async () => {
    const err = await engine.callError('pipelines.run', { path: flowYaml, parameters: { n: 'three' } });
    expect(err.message).toMatch(/flow\.yaml: Parameter n: "three" is not a whole number/);
  });
});

if (missing) reportMissingPart('kfp (PyPI)', missing);

/**
 * The orchestrator's decisions on small specs shaped like kfp's output (the integration tests run
 * specs compiled by real kfp): order, fail-fast, trigger strategies, conditions, loops, OneOf.
 */
import { describe, expect, it } from 'vitest';
import type { ComponentSpec, PipelineSpec, TaskSpec } from '../spec/pipeline-spec.js';
import { evaluateRun, type ExecRecord, type TaskStatus } from './dag-evaluator.js';

const exec = (name: string, outputs: string[] = ['Output']): ComponentSpec => ({
  executorLabel: `exec-${name}`,
  inputDefinitions: { parameters: { x: { parameterType: 'NUMBER_INTEGER', isOptional: true, defaultValue: 0 } } },
  outputDefinitions: { parameters: Object.fromEntries(outputs.map((o) => [o, { parameterType: 'NUMBER_INTEGER' as const }])) },
});
const task = (comp: string, extra: Partial<TaskSpec> = {}): TaskSpec => ({ componentRef: { name: comp }, taskInfo: { name: comp.replace('comp-', '') }, ...extra });
const fromTask = (producerTask: string, outputParameterKey = 'Output') => ({ taskOutputParameter: { producerTask, outputParameterKey } });

function spec(tasks: Record<string, TaskSpec>, components: Record<string, ComponentSpec>): PipelineSpec {
  const executors = Object.fromEntries(Object.values(components).filter((c) => c.executorLabel).map((c) => [c.executorLabel!, { container: { image: 'python:3.11', command: ['true'] } }]));
  return { pipelineInfo: { name: 'p' }, schemaVersion: '2.1.0', root: { dag: { tasks } }, components, deploymentSpec: { executors } };
}
const rec = (path: string, status: TaskStatus, out: Record<string, unknown> = {}): [string, ExecRecord] => [path, { path, status, message: null, outputs: { parameters: out, artifacts: {} } }];

const chain = spec(
  {
    a: task('comp-a'),
    b: task('comp-b', { dependentTasks: ['a'], inputs: { parameters: { x: fromTask('a') } } }),
    c: task('comp-c'),
    d: task('comp-d', { dependentTasks: ['b'], triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' } }),
  },
  { 'comp-a': exec('a'), 'comp-b': exec('b'), 'comp-c': exec('c'), 'comp-d': exec('d') },
);

describe('dag evaluator', () => {
  it('starts tasks whose upstream succeeded, with the producer\'s output as input', () => {
    let ev = evaluateRun(chain, {}, new Map());
    expect(ev.toStart.map((s) => s.path).sort()).toEqual(['a', 'c']);
    expect(ev.status).toBe('Running');
    ev = evaluateRun(chain, {}, new Map([rec('a', 'Succeeded', { Output: 7 }), rec('c', 'Running')]));
    expect(ev.toStart.map((s) => [s.path, s.inputs.parameters.x])).toEqual([['b', 7]]);
    ev = evaluateRun(chain, {}, new Map([rec('a', 'Succeeded', { Output: 7 }), rec('b', 'Succeeded'), rec('c', 'Succeeded')]));
    expect(ev.toStart.map((s) => s.path)).toEqual(['d']);
    ev = evaluateRun(chain, {}, new Map([rec('a', 'Succeeded'), rec('b', 'Succeeded'), rec('c', 'Succeeded'), rec('d', 'Succeeded')]));
    expect(ev.status).toBe('Succeeded');
  });

  it('fails fast: after a failure only ALL_UPSTREAM_TASKS_COMPLETED tasks start; the run fails', () => {
    let ev = evaluateRun(chain, {}, new Map([rec('a', 'Failed'), rec('c', 'Running')]));
    expect(ev.toSkip.map((s) => [s.path, s.message])).toEqual([['b', 'Not started: upstream task a did not succeed.']]);
    expect(ev.toStart.map((s) => s.path)).toEqual(['d']);
    expect(ev.status).toBe('Running');
    const late = spec({ a: task('comp-a'), b: task('comp-b', { dependentTasks: ['c'] }), c: task('comp-c') }, { 'comp-a': exec('a'), 'comp-b': exec('b'), 'comp-c': exec('c') });
    ev = evaluateRun(late, {}, new Map([rec('a', 'Failed'), rec('c', 'Succeeded')]));
    expect(ev.toStart).toEqual([]);
    expect(ev.toSkip.map((s) => [s.path, s.message])).toEqual([['b', 'Not started: another task of the run failed.']]);
    ev = evaluateRun(chain, {}, new Map([rec('a', 'Failed'), rec('b', 'Skipped'), rec('c', 'Succeeded'), rec('d', 'Succeeded')]));
    expect(ev.status).toBe('Failed');
  });

  it('skips a condition that is false and runs what depends on it', () => {
    const s = spec(
      {
        flip: task('comp-flip'),
        'condition-1': task('comp-condition-1', { dependentTasks: ['flip'], inputs: { parameters: { 'pipelinechannel--flip-Output': fromTask('flip') } }, triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--flip-Output'] == 1" } }),
        after: task('comp-after', { dependentTasks: ['condition-1'] }),
      },
      { 'comp-flip': exec('flip'), 'comp-after': exec('after'), 'comp-inner': exec('inner'), 'comp-condition-1': { dag: { tasks: { inner: task('comp-inner') } }, inputDefinitions: { parameters: { 'pipelinechannel--flip-Output': { parameterType: 'NUMBER_INTEGER' } } } } },
    );
    const skipped = evaluateRun(s, {}, new Map([rec('flip', 'Succeeded', { Output: 0 })]));
    expect(skipped.nodes.find((n) => n.path === 'condition-1')!.status).toBe('Skipped');
    expect(skipped.toStart.map((t) => t.path)).toEqual(['after']);
    const taken = evaluateRun(s, {}, new Map([rec('flip', 'Succeeded', { Output: 1 })]));
    expect(taken.toStart.map((t) => t.path)).toEqual(['condition-1/inner']);
  });

  it('runs ParallelFor iterations at most parallelismLimit at once and collects their outputs', () => {
    const s = spec(
      { loop: task('comp-for-loop-1', { parameterIterator: { itemInput: 'item', items: { raw: '[1, 2, 3]' } }, iteratorPolicy: { parallelismLimit: 2 } }), sum: task('comp-sum', { dependentTasks: ['loop'], inputs: { parameters: { x: fromTask('loop', 'pipelinechannel--sq-Output') } } }) },
      {
        'comp-sq': exec('sq'),
        'comp-sum': exec('sum'),
        'comp-for-loop-1': { dag: { tasks: { sq: task('comp-sq', { inputs: { parameters: { x: { componentInputParameter: 'item' } } } }) }, outputs: { parameters: { 'pipelinechannel--sq-Output': { valueFromParameter: { producerSubtask: 'sq', outputParameterKey: 'Output' } } } } }, inputDefinitions: { parameters: { item: { parameterType: 'NUMBER_INTEGER' } } } },
      },
    );
    let ev = evaluateRun(s, {}, new Map());
    expect(ev.toStart.map((t) => [t.path, t.inputs.parameters.x])).toEqual([['loop[0]/sq', 1], ['loop[1]/sq', 2]]);
    ev = evaluateRun(s, {}, new Map([rec('loop[0]/sq', 'Succeeded', { Output: 1 }), rec('loop[1]/sq', 'Running')]));
    expect(ev.toStart.map((t) => t.path)).toEqual(['loop[2]/sq']);
    ev = evaluateRun(s, {}, new Map([rec('loop[0]/sq', 'Succeeded', { Output: 1 }), rec('loop[1]/sq', 'Succeeded', { Output: 4 }), rec('loop[2]/sq', 'Succeeded', { Output: 9 })]));
    expect(ev.toStart.map((t) => [t.path, t.inputs.parameters.x])).toEqual([['sum', [1, 4, 9]]]);
  });

  it('takes a OneOf output from the branch that ran', () => {
    const s = spec(
      {
        branches: task('comp-branches'),
        use: task('comp-use', { dependentTasks: ['branches'], inputs: { parameters: { x: fromTask('branches', 'pipelinechannel--oneof') } } }),
      },
      {
        'comp-a': exec('a'),
        'comp-b': exec('b'),
        'comp-use': exec('use'),
        'comp-c1': { dag: { tasks: { a: task('comp-a') } } },
        'comp-c2': { dag: { tasks: { b: task('comp-b') } } },
        'comp-branches': {
          dag: {
            tasks: { c1: task('comp-c1', { triggerPolicy: { condition: 'false' } }), c2: task('comp-c2', { triggerPolicy: { condition: 'true' } }) },
            outputs: { parameters: { 'pipelinechannel--oneof': { valueFromOneof: { parameterSelectors: [{ producerSubtask: 'c1', outputParameterKey: 'o' }, { producerSubtask: 'c2', outputParameterKey: 'o' }] } } } },
          },
        },
      },
    );
    s.components!['comp-c2']!.dag!.outputs = { parameters: { o: { valueFromParameter: { producerSubtask: 'b', outputParameterKey: 'Output' } } } };
    s.components!['comp-c1']!.dag!.outputs = { parameters: { o: { valueFromParameter: { producerSubtask: 'a', outputParameterKey: 'Output' } } } };
    const ev = evaluateRun(s, {}, new Map([rec('branches/c2/b', 'Succeeded', { Output: 42 })]));
    expect(ev.toStart.map((t) => [t.path, t.inputs.parameters.x])).toEqual([['use', 42]]);
  });

  it('starts nothing once the run is cancelled and ends Cancelled when the running tasks ended', () => {
    let ev = evaluateRun(chain, {}, new Map([rec('a', 'Running')]), { cancelling: true });
    expect(ev.toStart).toEqual([]);
    expect(ev.status).toBe('Running');
    ev = evaluateRun(chain, {}, new Map([rec('a', 'Cancelled')]), { cancelling: true });
    expect(ev.status).toBe('Cancelled');
  });
});

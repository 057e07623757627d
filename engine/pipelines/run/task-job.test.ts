/** A task as the TrainJob our backends run: paths per backend, kfp's executor, packages, resources. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { StartRequest } from './dag-evaluator.js';
import { planTaskJob, resourcesOf, taskJobName } from './task-job.js';

const LIGHTWEIGHT_COMMAND = [
  'sh',
  '-c',
  "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location 'six'  &&  python3 -m pip install --quiet --no-warn-script-location 'kfp==2.17.3' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n",
  'sh',
  '-ec',
  'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n',
  'def make(d):\n    pass\n',
];

function start(container: Record<string, unknown>): StartRequest {
  return {
    path: 'for-loop-2[1]/make',
    name: 'make',
    componentName: 'comp-make',
    component: { executorLabel: 'exec-make', outputDefinitions: { artifacts: { d: { artifactType: { schemaTitle: 'system.Dataset' } } }, parameters: { n: { parameterType: 'NUMBER_INTEGER' } } } },
    executorLabel: 'exec-make',
    executor: { container: { image: 'python:3.11', ...container } },
    task: { componentRef: { name: 'comp-make' } },
    inputs: { parameters: { x: 1 }, artifacts: { src: [{ name: 'src', uri: '/data/pipelines/root/p/r1/up/src', type: {}, metadata: {} }] } },
  };
}
const base = { runId: 'r1', pipelineName: 'My Pipe', pipelineRoot: '/data/pipelines/root', createTime: '2026-01-01T00:00:00Z', attempt: 0 };

describe('task job', () => {
  it('runs a lightweight component with kfp\'s executor on this machine, its packages as the job\'s environment', () => {
    const plan = planTaskJob({ ...base, backend: 'local-process', start: start({ command: LIGHTWEIGHT_COMMAND, args: ['--executor_input', '{{$}}', '--function_to_execute', 'make'] }) });
    const job = parse(plan.spec);
    expect(plan.taskRoot).toBe('/data/pipelines/root/my-pipe/r1/for-loop-2-1/make');
    expect(plan.workspace).toBe(plan.taskRoot);
    expect(plan.kfpRuntime).toBe('2.17.3');
    expect(plan.files).toEqual([{ path: `${plan.taskRoot}/ephemeral_component.py`, content: 'def make(d):\n    pass\n' }]);
    expect(job.metadata.name).toBe('for-loop-2-1-make');
    expect(job.metadata.annotations['kubeflow-desktop/packages']).toBe('six');
    expect(job.spec.trainer.image).toBeUndefined();
    const cmd: string[] = job.spec.trainer.command;
    expect(cmd.slice(0, 5)).toEqual(['python3', '-m', 'kfp.dsl.executor_main', '--component_module_path', `${plan.taskRoot}/ephemeral_component.py`]);
    const input = JSON.parse(cmd[6]!);
    expect(input.inputs.artifacts.src.artifacts[0].uri).toBe('/data/pipelines/root/p/r1/up/src');
    expect(input.outputs.artifacts.d.artifacts[0].uri).toBe(`${plan.taskRoot}/d`);
    expect(job.spec.trainer.env).toEqual([{ name: '_KFP_RUNTIME', value: 'true' }, { name: 'PYTHONPATH', value: '/data/pipelines/root/.kfp-runtime/2.17.3' }]);
  });

  it('in a container every path is under /workspace (the pipeline root) and maps back', () => {
    const plan = planTaskJob({ ...base, backend: 'container', start: start({ command: ['sh', '-c'], args: ['cp "$0" "$1"', "{{$.inputs.artifacts['src'].path}}", "{{$.outputs.artifacts['d'].path}}"] }) });
    const job = parse(plan.spec);
    expect(plan.workspace).toBe('/data/pipelines/root');
    expect(job.spec.trainer.image).toBe('python:3.11');
    expect(job.spec.trainer.command).toEqual(['sh', '-c', 'cp "$0" "$1"', '/workspace/p/r1/up/src', '/workspace/my-pipe/r1/for-loop-2-1/make/d']);
    expect(plan.hostPathOf('/workspace/my-pipe/r1/for-loop-2-1/make/d')).toBe(`${plan.taskRoot}/d`);
    expect(plan.hostPathOf('/elsewhere/x')).toBe('/elsewhere/x');
  });

  it('maps KFP resources to resourcesPerNode', () => {
    const notes: string[] = [];
    expect(resourcesOf({ cpuLimit: 1, resourceCpuLimit: '500m', memoryLimit: 1, resourceMemoryRequest: '256M', accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: '1' } }, notes)).toEqual({
      limits: { cpu: '500m', memory: '1G', 'nvidia.com/gpu': '1' },
      requests: { memory: '256M' },
    });
    expect(resourcesOf({ accelerator: { type: 'NVIDIA_TESLA_T4', count: 2 } }, notes)).toEqual({ limits: { 'nvidia.com/gpu': '2' } });
    expect(notes[0]).toContain('NVIDIA_TESLA_T4');
  });

  it('names jobs with RFC 1035 names', () => {
    expect(taskJobName('exit-handler-1/for-loop-3[12]/Train_Model')).toBe('exit-handler-1-for-loop-3-12-train-model');
    expect(taskJobName('2nd')).toBe('t-2nd');
    expect(taskJobName('x'.repeat(80)).length).toBe(63);
  });
});

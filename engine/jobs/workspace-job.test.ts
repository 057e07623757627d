// numProcPerNode "auto" (the default) per backend: containers get the GPUs they ask for, so
// their count is what is asked for, never the unbounded capacity that stands for it.
import { describe, expect, it } from 'vitest';
import { validateJobText } from './workspace-job.js';

const job = (trainer: string) =>
  ['apiVersion: trainer.kubeflow.org/v1alpha1', 'kind: TrainJob', 'metadata:', '  name: auto', 'spec:', '  runtimeRef:', '    name: torch-distributed', '  trainer:', '    image: kfd-test/python:bookworm', trainer, ''].join('\n');

describe('validateJobText: numProcPerNode "auto"', () => {
  it('container backend: the GPUs asked for per node, else the CPUs', () => {
    const unbounded = { cpus: 6, gpus: Number.POSITIVE_INFINITY };
    expect(validateJobText(job('    numNodes: 2'), 'trainjob.yaml', 'container', unbounded)).toMatchObject({ ok: true, numNodes: 2, numProcPerNode: 6 });
    const gpus = job('    resourcesPerNode:\n      limits:\n        nvidia.com/gpu: 2');
    expect(validateJobText(gpus, 'trainjob.yaml', 'container', unbounded)).toMatchObject({ ok: true, numProcPerNode: 2, warnings: [] });
  });

  it('local processes: the GPUs this machine has (none here), else the CPUs', () => {
    expect(validateJobText(job('    numNodes: 1'), 'trainjob.yaml', 'local-process', { cpus: 3, gpus: 0 })).toMatchObject({ ok: true, numProcPerNode: 3 });
  });
});

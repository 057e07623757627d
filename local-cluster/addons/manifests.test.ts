import { describe, expect, it } from 'vitest';
import { isInstallRace, retryInstallRace } from './apply-retry.js';
import { deploymentsOf, imagesOf, nvidiaRuntimeClass, parseDocs, patchDevicePlugin, patchRuntimes, stringifyDocs } from './manifests.js';

const runtime = parseDocs(`
apiVersion: trainer.kubeflow.org/v1alpha1
kind: ClusterTrainingRuntime
metadata: {name: torch-distributed}
spec:
  template:
    spec:
      replicatedJobs:
        - name: dataset-initializer
          template: {spec: {template: {spec: {containers: [{name: init, image: init:1}]}}}}
        - name: node
          template:
            metadata: {labels: {trainer.kubeflow.org/trainjob-ancestor-step: trainer}}
            spec: {template: {spec: {containers: [{name: node, image: torch:2, volumeMounts: [{name: old, mountPath: /dev/shm}]}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ctrl, namespace: kubeflow-system}
spec: {template: {spec: {initContainers: [{name: i, image: init:1}], containers: [{name: m, image: ctrl:1}]}}}
`);

describe('add-on manifest patches', () => {
  it('gives the trainer step a memory /dev/shm and, with GPUs, the nvidia RuntimeClass; idempotent; leaves the input alone', () => {
    const once = patchRuntimes(runtime, { gpu: true, shmSize: '2Gi' });
    const twice = patchRuntimes(once, { gpu: true, shmSize: '2Gi' });
    expect(twice).toEqual(once);
    const jobs = (once[0]!['spec'] as { template: { spec: { replicatedJobs: { template: { spec: { template: { spec: Record<string, unknown> } } } }[] } } }).template.spec.replicatedJobs;
    expect(jobs[0]!.template.spec.template.spec).toEqual({ containers: [{ name: 'init', image: 'init:1' }] }); // initializers untouched
    expect(jobs[1]!.template.spec.template.spec).toEqual({
      runtimeClassName: 'nvidia',
      volumes: [{ name: 'kfd-dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }],
      containers: [{ name: 'node', image: 'torch:2', volumeMounts: [{ name: 'kfd-dshm', mountPath: '/dev/shm' }] }],
    });
    expect(JSON.stringify(patchRuntimes(runtime, { gpu: false, shmSize: '1Gi' }))).not.toContain('runtimeClassName');
    expect(JSON.stringify(runtime)).not.toContain('kfd-dshm');
    expect(once[1]).toEqual(runtime[1]);
  });

  it('lists images once each and the Deployments to wait for', () => {
    expect(imagesOf(runtime)).toEqual(['init:1', 'torch:2', 'ctrl:1']);
    expect(deploymentsOf(runtime)).toEqual(['kubeflow-system/ctrl']);
    expect(parseDocs(stringifyDocs(runtime))).toEqual(runtime);
    expect(() => parseDocs('a: [', 'runtimes')).toThrow(/^runtimes: YAML document 1: /);
  });

  it('pins the device plugin to GPU nodes with the nvidia runtime; the RuntimeClass schedules there too', () => {
    const ds = patchDevicePlugin(parseDocs('kind: DaemonSet\nspec: {template: {spec: {nodeSelector: {a: b}, containers: [{name: p, image: p:1}]}}}'));
    expect((ds[0]!['spec'] as { template: { spec: unknown } }).template.spec).toEqual({
      nodeSelector: { a: 'b', 'nvidia.com/gpu.present': 'true' },
      runtimeClassName: 'nvidia',
      containers: [{ name: 'p', image: 'p:1' }],
    });
    expect(nvidiaRuntimeClass()).toMatchObject({ handler: 'nvidia', scheduling: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } } });
  });
});

describe('install race retry', () => {
  it('retries only the known races, until the deadline', async () => {
    expect(isInstallRace('Error from server (InternalError): Internal error occurred: failed calling webhook "mjobset.kb.io": connect: connection refused')).toBe(true);
    expect(isInstallRace('error: resource mapping not found for name: "torch" namespace: "" from "STDIN": no matches for kind "ClusterTrainingRuntime"')).toBe(true);
    expect(isInstallRace('Error from server (Forbidden): forbidden')).toBe(false);
    let t = 0;
    let calls = 0;
    const race = Object.assign(new Error('apply failed'), { stderr: 'failed calling webhook "x"' });
    const opts = { deadlineMs: 10_000, delayMs: 3000, now: () => t, sleep: async (ms: number) => void (t += ms) };
    await expect(retryInstallRace(async () => { calls++; throw race; }, opts)).rejects.toBe(race);
    expect(calls).toBe(4); // at 0, 3, 6, 9 s; the next would pass the deadline
    calls = 0;
    await expect(retryInstallRace(async () => { calls++; throw new Error('denied'); }, opts)).rejects.toThrow('denied');
    expect(calls).toBe(1);
    expect(await retryInstallRace(async () => (++calls < 3 ? Promise.reject(race) : 'ok'), { ...opts, deadlineMs: 60_000 })).toBe('ok');
  });
});

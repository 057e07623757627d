import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi } from '../engine/doctor/checks/nvidia-smi-parse.js';
import { TWO_GPUS } from '../engine/doctor/test-support/fake-nvidia-smi.js';
import { shortKindError } from './create-cluster.js';
import { describePlan, nodeNames, planCreate } from './create-plan.js';
import { kindFailureFix } from './kind-hints.js';
import { defaultNodeImage } from './node-images.js';

const facts = { kindVersion: 'v0.30.0', gpus: parseNvidiaSmi(TWO_GPUS.join('\n')), hostGpu: { ready: true, problems: [] }, kubeconfigPath: '/d/clusters/kfd/kubeconfig' };

describe('create plan', () => {
  it('has GPU steps only when GPUs are passed through', () => {
    const cpu = planCreate({ name: 'kfd', workers: 0, gpus: 'none' }, facts);
    const gpu = planCreate({ name: 'kfd', workers: 0, gpus: 'auto' }, facts);
    const ids = (p: typeof cpu) => p.steps.map((s) => s.id);
    expect(ids(cpu)).toEqual(['preflight', 'assets', 'kind', 'load-images', 'wait-nodes', 'wait-coredns', 'jobset', 'trainer', 'runtimes', 'wait-trainer', 'record']);
    expect(ids(gpu)).toEqual(['preflight', 'assets', 'kind', 'load-images', 'wait-nodes', 'wait-coredns', 'gpu-runtime', 'gpu-proc', 'gpu-runtimeclass', 'gpu-device-plugin', 'jobset', 'trainer', 'runtimes', 'wait-trainer', 'record']);
    expect(gpu.gpuNodes).toEqual([{ node: 'kfd-control-plane', visible: 'all' }]);
  });

  it('the dry run shows the kind config and what every step runs', () => {
    const text = describePlan(planCreate({ name: 'dev', workers: 2, gpus: 'none', workspaceRoot: '/home/me/work' }, facts));
    expect(text).toMatch(/^# kind config for "dev" \(kind reads it on stdin\)\nkind: Cluster\n/);
    expect(text).toContain('hostPath: /home/me/work');
    expect(text).toContain('3. Create the kind nodes\n     kind create cluster --name dev --config - --kubeconfig /d/clusters/kfd/kubeconfig --wait 300s');
    expect(text).toContain('# GPUs: GPU passthrough is off (--gpus none).');
    expect(nodeNames('dev', 2)).toEqual(['dev-control-plane', 'dev-worker', 'dev-worker2']);
  });

  it('uses the chosen node image, and shapes the kind config by its labels and the host\'s cgroups', () => {
    const plain = planCreate({ name: 'kfd', workers: 1, gpus: 'none' }, facts);
    expect(plain.kind.config.nodes.map((n) => n.image)).toEqual([defaultNodeImage('v0.30.0'), defaultNodeImage('v0.30.0')]);
    expect(plain.kind.config.networking).toBeUndefined();
    const own = planCreate(
      { name: 'kfd', workers: 1, gpus: 'none', nodeImage: 'kfd-test/kind-node:v1.36.2-abc' },
      { ...facts, cgroupV1: true, nodeImageLabels: { 'io.kubeflow-desktop.node.pod-network': 'built-in' } },
    );
    expect(own.kind.config.nodes.map((n) => n.image)).toEqual(['kfd-test/kind-node:v1.36.2-abc', 'kfd-test/kind-node:v1.36.2-abc']);
    expect(own.kind.config.networking).toEqual({ disableDefaultCNI: true });
    expect(own.kind.config.kubeadmConfigPatches).toEqual(['kind: KubeletConfiguration\nsyncFrequency: 10s\nfailCgroupV1: false\n']);
    expect(describePlan(own)).toContain('disableDefaultCNI: true');
  });

  it('kind failures get a fix and a short message', () => {
    expect(kindFailureFix('node(s) already exist for a cluster with the name "x"', 'x')).toContain('kfd cluster delete --name x');
    expect(kindFailureFix('failed to pull image "kindest/node"', 'x')).toContain('kfd cluster prepare');
    expect(kindFailureFix('something new', 'x')).toBe('');
    expect(shortKindError('ERROR one\nCommand Output: {json}\nCannot connect to the Docker daemon')).toBe('ERROR one\nCannot connect to the Docker daemon');
  });
});

import { describe, expect, it } from 'vitest';
import type { JobLaunch } from '../backend.js';
import { parseLauncherLine } from './launcher-script.js';
import { containerCreateOptions, DEFAULT_IMAGE, LABEL, planContainerJob } from './node-plan.js';
import { containerResources, DEFAULT_SHM_BYTES, deviceRequests, gpusRequested } from './resources.js';

function launch(trainer: Record<string, unknown>, over: Partial<JobLaunch> = {}): JobLaunch {
  return {
    jobId: 'abc-123',
    job: { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: 'demo' }, spec: { runtimeRef: { name: 'torch-distributed' }, trainer } } as JobLaunch['job'],
    workspace: '/home/u/ws',
    jobDir: '/data/jobs/abc-123',
    numNodes: (trainer.numNodes as number) ?? 1,
    numProcPerNode: (trainer.numProcPerNode as number) ?? 1,
    baseEnv: { PATH: '/host/bin', HOME: '/home/u', SECRET_HOST_VAR: 'x' },
    python: '/usr/bin/python3.11',
    ...over,
  };
}

const plan = (trainer: Record<string, unknown>) => planContainerJob(launch(trainer), { gpu: null, graceMs: 10_000, jobsDir: '/data/jobs' });

describe('container job plan', () => {
  it('one container per node on the job network, node 0 by name as the master, the env contract per rank', () => {
    const p = plan({ image: 'img:1', command: ['python', 'train.py'], numNodes: 2, numProcPerNode: 2, env: [{ name: 'TOKEN', value: 's3cret value' }] });
    expect(p.network).toBe('kfd-abc-123');
    expect(p.nodes.map((n) => n.name)).toEqual(['kfd-abc-123-node-0', 'kfd-abc-123-node-1']);
    const node1 = p.nodes[1]!;
    expect(node1.env).toMatchObject({
      PET_NNODES: '2', PET_NPROC_PER_NODE: '2', PET_NODE_RANK: '1', PET_MASTER_ADDR: 'kfd-abc-123-node-0', PET_MASTER_PORT: '29500',
      MASTER_ADDR: 'kfd-abc-123-node-0', MASTER_PORT: '29500', WORLD_SIZE: '4', GROUP_RANK: '1', TOKEN: 's3cret value', PYTHONUNBUFFERED: '1', KFD_JOB_ID: 'abc-123',
    });
    // The image's own environment applies, not this machine's; per-rank variables are the launcher's.
    expect(node1.env).not.toHaveProperty('PATH');
    expect(node1.env).not.toHaveProperty('SECRET_HOST_VAR');
    expect(node1.env).not.toHaveProperty('RANK');
    expect(node1.script).toContain("export RANK=2 LOCAL_RANK=0 ROLE_RANK=2; rank 0 python3 train.py");
    expect(node1.script).toContain("export RANK=3 LOCAL_RANK=1 ROLE_RANK=3; rank 1 python3 train.py");
    // Env values (secrets) travel in the container's Env, never in its command line.
    expect(p.nodes.every((n) => !n.script.includes('s3cret'))).toBe(true);
    expect(p.labels).toEqual({ [LABEL.managed]: 'true', [LABEL.jobId]: 'abc-123', [LABEL.jobName]: 'demo', [LABEL.jobsDir]: '/data/jobs' });
  });

  it('torchrun is unwrapped as in the local backend; its setup lines run once per node without the per-rank variables', () => {
    const p = plan({ image: 'img:1', command: ['bash', '-c', 'pip list > /dev/null\ntorchrun --nproc-per-node=2 train.py --lr 0.1'], numNodes: 1 });
    expect(p.numProcPerNode).toBe(2);
    expect(p.nodes[0]!.script).toContain("rank 1 python3 -u train.py --lr 0.1");
    expect(p.nodes[0]!.script).toMatch(/unset [A-Z_ ]*WORLD_SIZE[A-Z_ ]*; exec bash -c 'pip list > \/dev\/null'/);
  });

  it('no image: the torch runtime default, flagged so the user is told', () => {
    const p = plan({ command: ['python3', 'x.py'] });
    expect(p).toMatchObject({ image: DEFAULT_IMAGE, imageDefaulted: true });
  });

  it('the create request: workspace at /workspace, job network with the node name as alias, limits, json-file logs on Docker', () => {
    const p = plan({ image: 'img:1', command: ['python3', 'x.py'], resourcesPerNode: { limits: { cpu: 2, memory: '1Gi' } } });
    const o = containerCreateOptions(p, p.nodes[0]!, '/home/u/ws', { engine: 'Docker', graceMs: 10_000 });
    expect(o).toMatchObject({
      name: 'kfd-abc-123-node-0', Hostname: 'kfd-abc-123-node-0', Image: 'img:1', WorkingDir: '/workspace', Cmd: [], StopTimeout: 12,
      Labels: { [LABEL.nodeRank]: '0', [LABEL.jobId]: 'abc-123' },
      HostConfig: { NetworkMode: 'kfd-abc-123', Mounts: [{ Type: 'bind', Source: '/home/u/ws', Target: '/workspace' }], NanoCpus: 2e9, Memory: 2 ** 30, ShmSize: 2 ** 29, LogConfig: { Type: 'json-file' } },
      NetworkingConfig: { EndpointsConfig: { 'kfd-abc-123': { Aliases: ['kfd-abc-123-node-0'] } } },
    });
    expect(o.Entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(containerCreateOptions(p, p.nodes[0]!, '/w', { engine: 'Podman', graceMs: 1000 }).HostConfig).not.toHaveProperty('LogConfig');
  });
});

describe('resources', () => {
  it('limits cap, requests weigh; /dev/shm defaults to 2 GiB, at most half the memory limit, or the annotation', () => {
    expect(containerResources({ resourcesPerNode: { limits: { cpu: '500m', memory: '8Gi' }, requests: { cpu: '250m', memory: '1Gi' } } }, undefined, null)).toEqual({
      NanoCpus: 5e8, Memory: 8 * 2 ** 30, CpuShares: 256, MemoryReservation: 2 ** 30, ShmSize: DEFAULT_SHM_BYTES,
    });
    expect(containerResources(undefined, { 'kubeflow-desktop/shm-size': '8Gi' }, null).ShmSize).toBe(8 * 2 ** 30);
    expect(() => containerResources(undefined, { 'kubeflow-desktop/shm-size': 'lots' }, null)).toThrow(/kubeflow-desktop\/shm-size.*lots/);
  });

  it('GPU requests: Docker nvidia (count or all), CDI names for Podman', () => {
    expect(gpusRequested({ resourcesPerNode: { requests: { 'nvidia.com/gpu': 2 } } })).toEqual({ count: 2, key: 'nvidia.com/gpu' });
    expect(gpusRequested({})).toEqual({ count: 0, key: 'nvidia.com/gpu' });
    expect(deviceRequests({ via: 'nvidia', count: 'all' })).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    expect(deviceRequests({ via: 'nvidia', count: 1 })).toEqual([{ Driver: 'nvidia', Count: 1, Capabilities: [['gpu']] }]);
    expect(deviceRequests({ via: 'cdi', count: 'all' })).toEqual([{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'], Capabilities: [['gpu']] }]);
    expect(deviceRequests({ via: 'cdi', count: 2 })[0]!.DeviceIDs).toEqual(['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
  });
});

describe('launcher lines', () => {
  it('rank output, reports, and anything else', () => {
    expect(parseLauncherLine('3 hello world')).toEqual({ kind: 'output', localRank: 3, text: 'hello world' });
    expect(parseLauncherLine('0 ')).toEqual({ kind: 'output', localRank: 0, text: '' });
    expect(parseLauncherLine('K started 1')).toEqual({ kind: 'started', localRank: 1 });
    expect(parseLauncherLine('K exit 1 143')).toEqual({ kind: 'exit', localRank: 1, code: 143 });
    expect(parseLauncherLine('K setup 4')).toEqual({ kind: 'setup', code: 4 });
    expect(parseLauncherLine('K setup ')).toEqual({ kind: 'setup', code: 143 });
    expect(parseLauncherLine('K stopping rank-failed')).toEqual({ kind: 'stopping', why: 'rank-failed' });
    expect(parseLauncherLine('K oom 1')).toEqual({ kind: 'oom', localRank: 1 });
    expect(parseLauncherLine('K exit x')).toEqual({ kind: 'other', text: 'K exit x' });
    expect(parseLauncherLine('kfd-launcher: 3: oops')).toEqual({ kind: 'other', text: 'kfd-launcher: 3: oops' });
  });
});

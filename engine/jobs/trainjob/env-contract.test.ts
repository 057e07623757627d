import { describe, expect, it } from 'vitest';
import { CONTRACT_ENV_NAMES, DEFAULT_MASTER_PORT, launcherDefaults, nodeEnv, processEnv, processEnvs, resolveNumProcPerNode } from './env-contract.js';

const twoByTwo = { numNodes: 2, numProcPerNode: 2, nodeRank: 1, masterAddr: 'job-node-0-0.job' };

describe('env contract', () => {
  it('node env is what Trainer sets (PET_*), port 29500 by default', () => {
    expect(DEFAULT_MASTER_PORT).toBe(29500);
    expect(nodeEnv(twoByTwo)).toEqual({
      PET_NNODES: '2',
      PET_NPROC_PER_NODE: '2',
      PET_NODE_RANK: '1',
      PET_MASTER_ADDR: 'job-node-0-0.job',
      PET_MASTER_PORT: '29500',
    });
  });

  it('per-process env matches what torchrun gives each worker', () => {
    expect(processEnv(twoByTwo, 1)).toEqual({
      ...nodeEnv(twoByTwo),
      RANK: '3',
      WORLD_SIZE: '4',
      LOCAL_RANK: '1',
      LOCAL_WORLD_SIZE: '2',
      GROUP_RANK: '1',
      GROUP_WORLD_SIZE: '2',
      ROLE_RANK: '3',
      ROLE_NAME: 'default',
      ROLE_WORLD_SIZE: '4',
      MASTER_ADDR: 'job-node-0-0.job',
      MASTER_PORT: '29500',
      TORCHELASTIC_RESTART_COUNT: '0',
      TORCHELASTIC_MAX_RESTARTS: '0',
      TORCHELASTIC_RUN_ID: 'none',
    });
  });

  it('every name it sets is listed in CONTRACT_ENV_NAMES', () => {
    expect(Object.keys(processEnv(twoByTwo, 0)).sort()).toEqual([...CONTRACT_ENV_NAMES].sort());
  });

  it('ranks are unique and contiguous across nodes', () => {
    const ranks = [0, 1, 2].flatMap((nodeRank) =>
      processEnvs({ numNodes: 3, numProcPerNode: 2, nodeRank, masterAddr: '127.0.0.1', masterPort: 12345, runId: 'job-1' }).map((e) => e.RANK),
    );
    expect(ranks).toEqual(['0', '1', '2', '3', '4', '5']);
    const env = processEnvs({ numNodes: 1, numProcPerNode: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: 12345, runId: 'job-1', maxRestarts: 2, restartCount: 1 })[0]!;
    expect(env).toMatchObject({ WORLD_SIZE: '1', MASTER_PORT: '12345', PET_MASTER_PORT: '12345', TORCHELASTIC_RUN_ID: 'job-1', TORCHELASTIC_MAX_RESTARTS: '2', TORCHELASTIC_RESTART_COUNT: '1' });
  });

  it.each([
    [{ ...twoByTwo, nodeRank: 2 }, 0, /nodeRank 2 is outside 0..1/],
    [{ ...twoByTwo, numNodes: 0 }, 0, /numNodes must be a whole number ≥ 1/],
    [{ ...twoByTwo, numProcPerNode: 1.5 }, 0, /numProcPerNode/],
    [{ ...twoByTwo, masterPort: 70000 }, 0, /masterPort/],
    [{ ...twoByTwo, masterAddr: '' }, 0, /masterAddr/],
    [twoByTwo, 2, /localRank 2 is outside 0..1/],
  ])('rejects impossible input %#', (input, localRank, message) => {
    expect(() => processEnv(input, localRank)).toThrow(message);
  });

  it('torchrun limits OpenMP threads only with several workers', () => {
    expect(launcherDefaults(2)).toEqual({ OMP_NUM_THREADS: '1' });
    expect(launcherDefaults(1)).toEqual({});
  });
});

describe('resolveNumProcPerNode', () => {
  const host = { cpus: 8, gpus: 0 };
  const gpuHost = { cpus: 8, gpus: 4 };

  it('a number is used as is', () => {
    expect(resolveNumProcPerNode({ numProcPerNode: 3 }, host).value).toBe(3);
  });

  it('absent means "auto": GPUs when present, else CPUs (torchrun)', () => {
    expect(resolveNumProcPerNode(undefined, host).value).toBe(8);
    expect(resolveNumProcPerNode({}, gpuHost).value).toBe(4);
  });

  it('"auto" or "cpu" with a CPU-only resourcesPerNode takes the CPU limit, rounded up (Trainer)', () => {
    expect(resolveNumProcPerNode({ numProcPerNode: 'auto', resourcesPerNode: { limits: { cpu: '1500m' } } }, host).value).toBe(2);
    expect(resolveNumProcPerNode({ numProcPerNode: 'cpu', resourcesPerNode: { requests: { cpu: 3 } } }, host).value).toBe(3);
    expect(resolveNumProcPerNode({ numProcPerNode: 'auto', resourcesPerNode: { limits: { memory: '1Gi' } } }, host).value).toBe(1);
    expect(resolveNumProcPerNode({ numProcPerNode: 'cpu', resourcesPerNode: { limits: { memory: '1Gi' } } }, host).value).toBe(1);
  });

  it('"auto" with a GPU request is left to the node: its GPU count', () => {
    const trainer = { numProcPerNode: 'auto' as const, resourcesPerNode: { limits: { cpu: '4', 'nvidia.com/gpu': 2 } } };
    expect(resolveNumProcPerNode(trainer, gpuHost).value).toBe(4);
  });

  it('"gpu" needs a GPU', () => {
    expect(resolveNumProcPerNode({ numProcPerNode: 'gpu' }, gpuHost).value).toBe(4);
    expect(() => resolveNumProcPerNode({ numProcPerNode: 'gpu' }, host)).toThrow(/no GPU/);
  });
});

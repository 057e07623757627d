import { describe, expect, it } from 'vitest';
import type { Trainer, TrainJob } from '../../jobs/trainjob/trainjob-schema.js';
import type { JobLaunch } from '../backend.js';
import { JOB_ID_ENV, planRanks } from './rank-plan.js';

function launch(trainer: Trainer, over: Partial<JobLaunch> = {}): JobLaunch {
  const job: TrainJob = {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: { name: 't' },
    spec: { runtimeRef: { name: 'torch-distributed' }, trainer },
  };
  return {
    jobId: 'job-1',
    job,
    workspace: '/ws',
    jobDir: '/data/jobs/job-1',
    numNodes: trainer.numNodes ?? 1,
    numProcPerNode: typeof trainer.numProcPerNode === 'number' ? trainer.numProcPerNode : 1,
    baseEnv: { PATH: '/usr/local/bin:/usr/bin', HOME: '/home/u', UNSET: undefined },
    python: '/opt/py/bin/python3',
    ...over,
  };
}

describe('planRanks', () => {
  it('gives every rank of numNodes × numProcPerNode the contract env, spec env over the base env, and the workspace as cwd', () => {
    const plan = planRanks(
      launch({
        command: ['python3', 'train.py'],
        args: ['--lr', '0.1'],
        numNodes: 2,
        numProcPerNode: 2,
        env: [
          { name: 'HOME', value: '/spec-home' },
          { name: 'EMPTY' },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'WORLD_SIZE', value: '99' },
        ],
      }),
      41000,
    );
    expect(plan.ranks.map((r) => [r.globalRank, r.nodeRank, r.localRank])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [2, 1, 0],
      [3, 1, 1],
    ]);
    const r3 = plan.ranks[3]!;
    expect(r3.argv).toEqual(['/opt/py/bin/python3', 'train.py', '--lr', '0.1']);
    expect(r3.cwd).toBe('/ws');
    expect(r3.env).toMatchObject({
      RANK: '3', WORLD_SIZE: '4', LOCAL_RANK: '1', LOCAL_WORLD_SIZE: '2', GROUP_RANK: '1',
      PET_NNODES: '2', PET_NPROC_PER_NODE: '2', PET_NODE_RANK: '1', PET_MASTER_ADDR: '127.0.0.1', PET_MASTER_PORT: '41000',
      MASTER_ADDR: '127.0.0.1', MASTER_PORT: '41000',
      PATH: '/usr/local/bin:/usr/bin', HOME: '/spec-home', EMPTY: '', PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: '1',
      [JOB_ID_ENV]: 'job-1',
    });
    expect(r3.env).not.toHaveProperty('TOKEN'); // valueFrom: reported by the caller, not set
    expect(r3.env).not.toHaveProperty('UNSET');
    expect(plan.notes.join('\n')).toMatch(/WORLD_SIZE is set by the launcher/);
    expect(plan.setups).toEqual([]);
    expect(plan.launcher).toBeNull();
  });

  it('lets the spec set PATH and the user keep their own OMP_NUM_THREADS', () => {
    const plan = planRanks(launch({ command: ['python', 'x.py'], numProcPerNode: 2, env: [{ name: 'PATH', value: '/venv/bin' }] }, { baseEnv: { PATH: '/usr/bin', OMP_NUM_THREADS: '4' } }), 29500);
    expect(plan.ranks[0]!.env.PATH).toBe('/venv/bin');
    expect(plan.ranks[0]!.env.OMP_NUM_THREADS).toBe('4');
    expect(plan.ranks[0]!.argv[0]).toBe('/opt/py/bin/python3');
    // Nodes share this machine: 2 nodes × 1 process still means 2 processes on its cores.
    expect(planRanks(launch({ command: ['python', 'x.py'], numNodes: 2 }), 1).ranks[1]!.env.OMP_NUM_THREADS).toBe('1');
    expect(planRanks(launch({ command: ['python', 'x.py'] }), 1).ranks[0]!.env).not.toHaveProperty('OMP_NUM_THREADS');
  });

  it('leaves an explicit interpreter alone and rejects an empty command', () => {
    expect(planRanks(launch({ command: ['/usr/bin/python3.11', 'x.py'] }), 1).ranks[0]!.argv[0]).toBe('/usr/bin/python3.11');
    expect(() => planRanks(launch({}), 1)).toThrow(/command is empty/);
  });

  it('starts torchrun ranks itself; the command sets nproc/nnodes only where the spec does not', () => {
    const plan = planRanks(launch({ command: ['torchrun', '--nproc-per-node=2', '--nnodes=1', '--master-port=1234', 'train.py', '--epochs', '1'] }), 40000);
    expect(plan.launcher).toBe('torchrun');
    expect(plan.ranks).toHaveLength(2);
    expect(plan.ranks.map((r) => r.argv)).toEqual([
      ['/opt/py/bin/python3', '-u', 'train.py', '--epochs', '1'],
      ['/opt/py/bin/python3', '-u', 'train.py', '--epochs', '1'],
    ]);
    expect(plan.ranks[1]!.env.MASTER_PORT).toBe('40000'); // a free local port, not the command's
    expect(plan.notes.join('\n')).toMatch(/rendezvous options are not used/);

    const fixed = planRanks(launch({ command: ['torchrun', '--nproc-per-node=4', 'train.py'], numProcPerNode: 2 }), 1);
    expect(fixed.numProcPerNode).toBe(2);
    expect(fixed.notes.join('\n')).toMatch(/differs from spec.trainer.numProcPerNode/);
  });

  it('replaces the interpreter of `python -m torch.distributed.launch` and passes --local_rank', () => {
    const plan = planRanks(launch({ command: ['python3', '-m', 'torch.distributed.launch', '--nproc_per_node', '2', 'train.py'] }), 1);
    expect(plan.ranks[1]!.argv).toEqual(['/opt/py/bin/python3', '-u', 'train.py', '--local_rank=1']);
  });

  it("runs the Kubeflow SDK's bash -c preamble once per node, with the node env", () => {
    const script = 'pip list > /dev/null\ntorchrun --nnodes=2 --nproc-per-node=1 train.py';
    const plan = planRanks(launch({ command: ['bash', '-c', script] }), 1);
    expect(plan.numNodes).toBe(2);
    expect(plan.setups.map((s) => [s.nodeRank, s.argv, s.env.PET_NODE_RANK])).toEqual([
      [0, ['bash', '-c', 'pip list > /dev/null'], '0'],
      [1, ['bash', '-c', 'pip list > /dev/null'], '1'],
    ]);
    expect(plan.setups[0]!.env).not.toHaveProperty('RANK');
    expect(plan.ranks.map((r) => r.argv[0])).toEqual(['/opt/py/bin/python3', '/opt/py/bin/python3']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClusterEvent, ClusterPod } from '../../../engine/api/contract';
import { conditionTone, newestFirst, pendingReasons, podRole, podsByNode, pollDelay } from './cluster-view';

const pod = (over: Partial<ClusterPod> & { name: string }): ClusterPod => ({
  nodeRank: 0,
  role: 'node',
  node: 'kwok-node-0',
  phase: 'Running',
  ready: true,
  restarts: 0,
  exitCode: null,
  reason: null,
  ...over,
});

const event = (over: Partial<ClusterEvent>): ClusterEvent => ({
  time: 1000,
  type: 'Normal',
  reason: 'Scheduled',
  object: 'Pod/p',
  message: 'ok',
  count: 1,
  ...over,
});

describe('podsByNode', () => {
  it('groups pods by Kubernetes node, trainer nodes by rank, unscheduled last', () => {
    const pods = [
      pod({ name: 'j-node-0-1', nodeRank: 1, node: 'a' }),
      pod({ name: 'j-init', nodeRank: null, role: 'dataset-initializer', node: 'b' }),
      pod({ name: 'j-node-0-0', nodeRank: 0, node: 'a' }),
      pod({ name: 'j-node-0-2', nodeRank: 2, node: null, phase: 'Pending' }),
    ];
    const groups = podsByNode({ pods, nodes: [{ node: 'a', pods: ['j-node-0-1', 'j-node-0-0'] }] });
    expect(groups.map((g) => [g.node, g.pods.map((p) => p.name)])).toEqual([
      ['a', ['j-node-0-0', 'j-node-0-1']],
      ['b', ['j-init']],
      [null, ['j-node-0-2']],
    ]);
  });

  it("keeps the engine's group of unscheduled pods (node null), last", () => {
    const pods = [pod({ name: 'p0', node: null, phase: 'Pending' }), pod({ name: 'p1', nodeRank: 1, node: 'a' })];
    const groups = podsByNode({ pods, nodes: [{ node: null, pods: ['p0'] }, { node: 'a', pods: ['p1'] }] });
    expect(groups.map((g) => [g.node, g.pods.map((p) => p.name)])).toEqual([
      ['a', ['p1']],
      [null, ['p0']],
    ]);
  });

  it('names pods by trainer node or role', () => {
    expect(podRole({ nodeRank: 3, role: 'node' })).toBe('node 3');
    expect(podRole({ nodeRank: null, role: 'model-initializer' })).toBe('model-initializer');
  });
});

describe('pendingReasons', () => {
  it("gives each pending pod's reason", () => {
    const pods = [pod({ name: 'p0', phase: 'Pending', node: null, reason: 'Insufficient nvidia.com/gpu' }), pod({ name: 'p1', nodeRank: 1 })];
    expect(pendingReasons({ pods, events: [], conditions: [] })).toEqual(['node 0 (p0): Insufficient nvidia.com/gpu']);
  });

  it('falls back to the newest warning events when pods give no reason (or none exist yet)', () => {
    const events = [
      event({ time: 1, type: 'Warning', reason: 'FailedCreate', object: 'Job/j-node-0', message: 'quota exceeded' }),
      event({ time: 2, type: 'Normal', reason: 'Created' }),
      event({ time: 3, type: 'Warning', reason: 'FailedScheduling', object: 'Pod/p0', message: '0/1 nodes are available' }),
    ];
    expect(pendingReasons({ pods: [], events, conditions: [] })).toEqual(['Pod/p0: FailedScheduling: 0/1 nodes are available', 'Job/j-node-0: FailedCreate: quota exceeded']);
  });

  it('says nothing once every pod is past Pending', () => {
    expect(pendingReasons({ pods: [pod({ name: 'p0' })], events: [event({ type: 'Warning' })], conditions: [] })).toEqual([]);
  });

  it('a suspended TrainJob says so', () => {
    expect(pendingReasons({ pods: [], events: [], conditions: [{ type: 'Suspended', status: 'True', reason: 'Suspended', message: 'queued by Kueue' }] })).toEqual([
      'The TrainJob is suspended: queued by Kueue.',
    ]);
  });
});

describe('polling and conditions', () => {
  it('polls until the job is final', () => {
    expect(pollDelay('Running')).toBe(2000);
    expect(pollDelay('Created')).toBe(2000);
    expect(pollDelay('Complete')).toBeNull();
    expect(pollDelay('Cancelled')).toBeNull();
  });

  it('colours conditions by what they mean', () => {
    expect(conditionTone({ type: 'Complete', status: 'True' })).toBe('ok');
    expect(conditionTone({ type: 'Failed', status: 'True' })).toBe('missing');
    expect(conditionTone({ type: 'Failed', status: 'False' })).toBe('pending');
    expect(conditionTone({ type: 'Suspended', status: 'True' })).toBe('warning');
  });

  it('orders events newest first', () => {
    expect(newestFirst([event({ time: 1 }), event({ time: 3 }), event({ time: 2 })]).map((e) => e.time)).toEqual([3, 2, 1]);
  });
});

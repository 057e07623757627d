import { describe, expect, it } from 'vitest';
import type { EventObject, PodObject, TrainJobObject } from './kube-types.js';
import { podsByNode, rankFromPod } from './node-ranks.js';
import { pendingReason } from './pod-reasons.js';
import { mapTrainJob } from './status-mapping.js';

const NAME = 'mnist-mfx0a1b2c-3d4';
const tj = (conditions: TrainJobObject['status'] = {}, created = new Date().toISOString()): TrainJobObject => ({ metadata: { name: NAME, creationTimestamp: created }, status: conditions });

function pod(index: number, status: PodObject['status'], extra: Partial<PodObject['metadata']> = {}, gpus = 0): PodObject {
  return {
    metadata: {
      name: `${NAME}-node-0-${index}-x${index}`,
      uid: `uid-${index}-${extra.creationTimestamp ?? ''}`,
      labels: { 'jobset.sigs.k8s.io/jobset-name': NAME, 'jobset.sigs.k8s.io/replicatedjob-name': 'node', 'batch.kubernetes.io/job-completion-index': String(index) },
      ...extra,
    },
    spec: { containers: [{ name: 'node', image: 'pytorch/pytorch:2.7.1', ...(gpus ? { resources: { limits: { 'nvidia.com/gpu': String(gpus) } } } : {}) }] },
    status,
  };
}

const terminated = (exitCode: number, finishedAt: string) => ({ phase: exitCode ? 'Failed' : 'Succeeded', containerStatuses: [{ name: 'node', state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', finishedAt } } }] });

describe('mapTrainJob', () => {
  it('Complete and Failed come from the TrainJob conditions; the first failed node and its exit code are named', () => {
    expect(mapTrainJob(tj({ conditions: [{ type: 'Complete', status: 'True', reason: 'JobsCompleted', message: 'TrainJob is completed' }] }), [])).toMatchObject({ phase: 'Complete', exitCode: 0 });
    const failed = mapTrainJob(tj({ conditions: [{ type: 'Failed', status: 'True', reason: 'JobsFailed', message: 'jobset failed' }] }), [
      pod(0, terminated(1, '2026-01-01T00:00:05Z')),
      pod(1, terminated(137, '2026-01-01T00:00:02Z')),
    ]);
    expect(failed).toMatchObject({ phase: 'Failed', reason: 'JobsFailed', failedRank: 1, exitCode: 137 });
    expect(failed.message).toBe("The TrainJob failed: jobset failed. Node 1's pod failed first with exit code 137.");
    // A condition that is False does not count.
    expect(mapTrainJob(tj({ conditions: [{ type: 'Failed', status: 'False' }] }), []).phase).toBe('Pending');
  });

  it('without visible pods, Trainer\'s jobsStatus says the nodes run', () => {
    const v = mapTrainJob(tj({ jobsStatus: [{ name: 'node', ready: 2, active: 2, succeeded: 0, failed: 0 }] }), []);
    expect(v).toMatchObject({ phase: 'Running', message: "Running: node 2 ready / 2 active (the TrainJob's jobsStatus)." });
  });

  it('Suspended says who may hold it', () => {
    const v = mapTrainJob(tj({ conditions: [{ type: 'Suspended', status: 'True', reason: 'Suspended', message: 'TrainJob is suspended' }] }), []);
    expect(v.phase).toBe('Suspended');
    expect(v.message).toMatch(/Kueue/);
  });

  it('while nodes are pending the message says why, for the first pending node', () => {
    const unschedulable = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available: 4 Insufficient nvidia.com/gpu. ' }] };
    const v = mapTrainJob(tj(), [pod(0, { phase: 'Running' }), pod(1, unschedulable, {}, 8)]);
    expect(v.phase).toBe('Running');
    expect(v.message).toBe('Node 1: waiting for GPUs: no node has 8 free nvidia.com/gpu (0/4 nodes are available: 4 Insufficient nvidia.com/gpu.).');
  });

  it('before any pod exists it waits for the controller, and after a while asks whether it runs', () => {
    expect(mapTrainJob(tj(), []).message).toMatch(/waiting for the Trainer controller/);
    const old = tj({}, new Date(Date.now() - 60_000).toISOString());
    expect(mapTrainJob(old, []).message).toMatch(/is the Trainer controller running/);
    const warn: EventObject = { metadata: { name: 'e1' }, involvedObject: { kind: 'TrainJob', name: NAME }, type: 'Warning', reason: 'TrainingRuntimeNotSupported', message: 'runtime has no mlPolicy' };
    expect(mapTrainJob(old, [], [warn]).message).toBe('TrainingRuntimeNotSupported: runtime has no mlPolicy');
  });
});

describe('pendingReason', () => {
  it('names the image that cannot be pulled and what to check', () => {
    const p = pod(0, { phase: 'Pending', containerStatuses: [{ name: 'node', image: 'registry.example.com/me/train:1', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/me/train:1"' } } }] });
    expect(pendingReason(p)).toMatch(/^cannot pull image registry.example.com\/me\/train:1 for container node \(ImagePullBackOff\).*imagePullSecrets/);
  });

  it('a volume that cannot be mounted (a missing ConfigMap) comes from the pod\'s events', () => {
    const p = pod(0, { phase: 'Pending', containerStatuses: [{ name: 'node', state: { waiting: { reason: 'ContainerCreating' } } }] }, { uid: 'u1' });
    p.spec!.nodeName = 'n1';
    const events: EventObject[] = [
      { metadata: { name: 'a' }, involvedObject: { kind: 'Pod', uid: 'u1' }, type: 'Normal', reason: 'Scheduled', message: 'assigned', lastTimestamp: '2026-01-01T00:00:00Z' },
      { metadata: { name: 'b' }, involvedObject: { kind: 'Pod', uid: 'u1' }, type: 'Warning', reason: 'FailedMount', message: 'configmap "x-workspace" not found', lastTimestamp: '2026-01-01T00:00:01Z' },
      { metadata: { name: 'c' }, involvedObject: { kind: 'Pod', uid: 'other' }, type: 'Warning', reason: 'BackOff', message: 'not ours' },
    ];
    expect(pendingReason(p, events)).toBe('a volume cannot be mounted yet (FailedMount): configmap "x-workspace" not found');
    expect(pendingReason(pod(0, { phase: 'Running' }))).toBeNull();
    expect(pendingReason(pod(0, { phase: 'Pending' }))).toBe('waiting to be scheduled.');
  });
});

describe('node ranks', () => {
  it('one rank per node by completion index; a retried pod replaces the old one; initializers are not nodes', () => {
    const init: PodObject = { metadata: { name: 'init', labels: { 'jobset.sigs.k8s.io/replicatedjob-name': 'dataset-initializer', 'batch.kubernetes.io/job-completion-index': '0' } }, status: { phase: 'Succeeded' } };
    const first = pod(0, terminated(1, '2026-01-01T00:00:01Z'), { creationTimestamp: '2026-01-01T00:00:00Z' });
    const retry = pod(0, { phase: 'Running' }, { creationTimestamp: '2026-01-01T00:01:00Z' });
    const nodes = podsByNode([first, retry, init]);
    expect([...nodes.keys()]).toEqual([0]);
    expect(rankFromPod(0, nodes.get(0))).toEqual({ globalRank: 0, nodeRank: 0, localRank: 0, pid: null, status: 'Running', exitCode: null, signal: null });
    expect(rankFromPod(1, undefined).status).toBe('Pending');
    expect(rankFromPod(0, first)).toMatchObject({ status: 'Failed', exitCode: 1 });
  });
});

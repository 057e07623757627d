import { describe, expect, it } from 'vitest';
import { clusterState } from './cluster-state.js';
import type { KubeJobRecord } from './job-record.js';
import type { PodObject } from './kube-types.js';

const record: KubeJobRecord = {
  version: 1,
  jobId: 'abcdefghi-123',
  targetId: 'kubeconfig:prod',
  context: 'prod',
  namespace: 'ml',
  trainJobName: 'mnist-abcdefghi-123',
  uid: 'u1',
  shipping: 'configMap',
  applied: [{ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', name: 'mnist-abcdefghi-123' }],
  numNodes: 3,
  createdAt: 0,
};

const pod = (index: number, nodeName?: string): PodObject => ({
  metadata: {
    name: `mnist-abcdefghi-123-node-0-${index}-x`,
    labels: { 'jobset.sigs.k8s.io/replicatedjob-name': 'node', 'batch.kubernetes.io/job-completion-index': String(index) },
  },
  spec: nodeName ? { nodeName } : {},
  status: { phase: nodeName ? 'Running' : 'Pending' },
});

describe('clusterState', () => {
  it('groups pods by the node they run on; pods not scheduled yet are one group with node null, last', () => {
    // Node 0 waits for a place: its group still comes after the nodes that run.
    const state = clusterState(record, null, [pod(2, 'worker-b'), pod(0), pod(1, 'worker-a')], [], true);
    expect(state.nodes).toEqual([
      { node: 'worker-a', pods: ['mnist-abcdefghi-123-node-0-1-x'] },
      { node: 'worker-b', pods: ['mnist-abcdefghi-123-node-0-2-x'] },
      { node: null, pods: ['mnist-abcdefghi-123-node-0-0-x'] },
    ]);
    expect(state.pods.find((p) => p.nodeRank === 0)).toMatchObject({ node: null, phase: 'Pending' });
  });
});

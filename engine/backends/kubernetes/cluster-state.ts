/** The API's view of a kubernetes job on its cluster (jobs.cluster), from what the watches hold. Pure. */
import type { ClusterEvent, ClusterJobState, ClusterPod } from '../../api/schemas/kubernetes.js';
import type { KubeJobRecord } from './job-record.js';
import type { EventObject, PodObject, TrainJobObject } from './kube-types.js';
import { timeOf } from './kube-types.js';
import { nodeRankOf, roleOf, terminated } from './node-ranks.js';
import { eventTime, pendingReason } from './pod-reasons.js';

const MAX_EVENTS = 200;

/** Events about the TrainJob and what it owns: the JobSet and Jobs share its name as a prefix, and so do their pods. */
export function belongsToJob(e: EventObject, trainJobName: string): boolean {
  const name = e.involvedObject.name ?? '';
  return name === trainJobName || name.startsWith(`${trainJobName}-`);
}

export function toClusterEvent(e: EventObject): ClusterEvent {
  return {
    time: eventTime(e) ?? 0,
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    object: `${e.involvedObject.kind ?? '?'}/${e.involvedObject.name ?? '?'}`,
    message: e.message ?? '',
    count: e.series?.count ?? e.count ?? 1,
  };
}

export function toClusterPod(pod: PodObject, events: readonly EventObject[]): ClusterPod {
  const statuses = pod.status?.containerStatuses ?? [];
  const end = terminated(pod);
  const phase = pod.status?.phase ?? 'Pending';
  const reason = phase === 'Pending' ? pendingReason(pod, events) : phase === 'Failed' ? (end ? `${end.reason ?? 'Error'} (exit code ${end.exitCode})${end.message ? `: ${end.message}` : ''}` : (pod.status?.reason ?? null)) : null;
  return {
    name: pod.metadata.name,
    nodeRank: nodeRankOf(pod),
    role: roleOf(pod),
    node: pod.spec?.nodeName ?? null,
    phase: pod.metadata.deletionTimestamp && phase === 'Running' ? 'Terminating' : phase,
    ready: statuses.length > 0 && statuses.every((s) => s.ready),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    exitCode: end?.exitCode ?? null,
    reason,
  };
}

export function clusterState(record: KubeJobRecord, tj: TrainJobObject | null, pods: readonly PodObject[], events: readonly EventObject[], live: boolean): ClusterJobState {
  const mine = events.filter((e) => belongsToJob(e, record.trainJobName));
  const sortedPods = [...pods].sort((a, b) => (nodeRankOf(a) ?? 1e9) - (nodeRankOf(b) ?? 1e9) || (timeOf(a.metadata.creationTimestamp) ?? 0) - (timeOf(b.metadata.creationTimestamp) ?? 0));
  const clusterPods = sortedPods.map((p) => toClusterPod(p, mine));
  const byNode = new Map<string | null, string[]>();
  for (const p of clusterPods) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.name]);
  // Unscheduled pods (node null) last, so the groups read as "where it runs, then what waits".
  const groups = [...byNode].sort(([a], [b]) => Number(a === null) - Number(b === null));
  return {
    targetId: record.targetId,
    context: record.context,
    namespace: record.namespace,
    trainJob: record.trainJobName,
    conditions: (tj?.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' })),
    jobsStatus: (tj?.status?.jobsStatus ?? []).map((j) => ({ name: j.name, active: j.active ?? 0, ready: j.ready ?? 0, succeeded: j.succeeded ?? 0, failed: j.failed ?? 0, suspended: j.suspended ?? 0 })),
    pods: clusterPods,
    nodes: groups.map(([node, names]) => ({ node, pods: names })),
    events: mine.map(toClusterEvent).sort((a, b) => a.time - b.time).slice(-MAX_EVENTS),
    applied: record.applied.map((a) => ({ kind: a.kind, name: a.name })),
    shipping: record.shipping,
    live,
  };
}

/**
 * A kubernetes job's cluster side as its page shows it (pure, tested in node): pods grouped by
 * the node they run on, why anything is still pending, events newest first, and when to poll.
 */
import type { ClusterEvent, ClusterJobState, ClusterPod, JobStatus } from '../../../engine/api/contract';
import { isFinal } from './jobs-list';

/** While the job is not final, read the cluster again this often. */
export const CLUSTER_POLL_MS = 2000;

export function pollDelay(status: JobStatus): number | null {
  return isFinal(status) ? null : CLUSTER_POLL_MS;
}

/** "node 0", "dataset-initializer". */
export function podRole(pod: Pick<ClusterPod, 'role' | 'nodeRank'>): string {
  return pod.nodeRank !== null ? `node ${pod.nodeRank}` : pod.role;
}

export interface NodeGroup {
  /** The Kubernetes node; null = pods not scheduled yet. */
  node: string | null;
  pods: ClusterPod[];
}

/** Pods per Kubernetes node (in the engine's order), unscheduled pods last; trainer nodes by rank. */
export function podsByNode(state: Pick<ClusterJobState, 'pods' | 'nodes'>): NodeGroup[] {
  const byName = new Map(state.pods.map((p) => [p.name, p]));
  const order = (a: ClusterPod, b: ClusterPod) => (a.nodeRank ?? 1e9) - (b.nodeRank ?? 1e9) || a.name.localeCompare(b.name);
  const groups: NodeGroup[] = state.nodes.map((n) => {
    const pods = n.pods.map((name) => byName.get(name)).filter((p): p is ClusterPod => p !== undefined).sort(order);
    return { node: n.node, pods };
  });
  const placed = new Set(groups.flatMap((g) => g.pods.map((p) => p.name)));
  // A pod the engine reports on a node but not in `nodes` still shows, under its node.
  for (const pod of state.pods) {
    if (placed.has(pod.name) || pod.node === null) continue;
    let g = groups.find((x) => x.node === pod.node);
    if (!g) groups.push((g = { node: pod.node, pods: [] }));
    g.pods.push(pod);
  }
  const unscheduled = state.pods.filter((p) => p.node === null && !placed.has(p.name)).sort(order);
  const listed = groups.find((g) => g.node === null);
  if (listed) listed.pods.push(...unscheduled);
  else if (unscheduled.length > 0) groups.push({ node: null, pods: unscheduled });
  // Unscheduled last, whatever order the engine listed them in.
  return groups.filter((g) => g.pods.length > 0).sort((a, b) => Number(a.node === null) - Number(b.node === null));
}

/**
 * Why the job is not running yet, one line each: every pending pod with its reason; with no
 * reason on any pod (or no pods yet), the newest warning events say it instead.
 */
export function pendingReasons(state: Pick<ClusterJobState, 'pods' | 'events' | 'conditions'>): string[] {
  const pending = state.pods.filter((p) => p.phase === 'Pending');
  const lines = pending.filter((p) => p.reason).map((p) => `${podRole(p)} (${p.name}): ${p.reason}`);
  if (lines.length > 0) return lines;
  if (state.pods.length > 0 && pending.length === 0) return [];
  const warnings = newestFirst(state.events).filter((e) => e.type === 'Warning');
  const seen = new Set<string>();
  for (const e of warnings) {
    const line = `${e.object}: ${e.reason}: ${e.message}`;
    if (!seen.has(line)) seen.add(line);
    if (seen.size === 3) break;
  }
  if (seen.size > 0) return [...seen];
  const suspended = state.conditions.find((c) => c.type === 'Suspended' && c.status === 'True');
  return suspended ? [`The TrainJob is suspended${suspended.message ? `: ${suspended.message}` : ''}.`] : [];
}

export function newestFirst(events: readonly ClusterEvent[]): ClusterEvent[] {
  return [...events].sort((a, b) => b.time - a.time);
}

export type ConditionTone = 'ok' | 'missing' | 'warning' | 'pending';

export function conditionTone(c: { type: string; status: string }): ConditionTone {
  if (c.status !== 'True') return 'pending';
  if (c.type === 'Complete') return 'ok';
  if (c.type === 'Failed') return 'missing';
  return c.type === 'Suspended' ? 'warning' : 'ok';
}

/**
 * Our job status from what the cluster says: the TrainJob's conditions (Complete, Failed,
 * Suspended, as Trainer sets them), its jobsStatus counts, and the trainer pods. While nothing
 * runs yet the message says why (pod-reasons.ts). Pure.
 */
import type { EventObject, PodObject, TrainJobObject } from './kube-types.js';
import { timeOf } from './kube-types.js';
import { podsByNode, terminated } from './node-ranks.js';
import { pendingReason } from './pod-reasons.js';

export type ClusterPhase = 'Pending' | 'Running' | 'Suspended' | 'Complete' | 'Failed';

export interface ClusterView {
  phase: ClusterPhase;
  /** Machine-readable (the condition's reason when there is one). */
  reason: string;
  message: string;
  failedRank: number | null;
  exitCode: number | null;
}

const isTrue = (tj: TrainJobObject, type: string) => tj.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/** The first trainer node whose pod failed (by finish time), with its exit code. */
export function firstFailedNode(pods: readonly PodObject[]): { rank: number; exitCode: number | null } | null {
  let best: { rank: number; exitCode: number | null; at: number } | null = null;
  for (const [rank, pod] of podsByNode(pods)) {
    if (pod.status?.phase !== 'Failed') continue;
    const end = terminated(pod);
    const at = timeOf(end?.finishedAt) ?? Number.MAX_SAFE_INTEGER;
    if (!best || at < best.at || (at === best.at && rank < best.rank)) best = { rank, exitCode: end?.exitCode ?? null, at };
  }
  return best && { rank: best.rank, exitCode: best.exitCode };
}

export function mapTrainJob(tj: TrainJobObject, pods: readonly PodObject[], events: readonly EventObject[] = [], now = Date.now()): ClusterView {
  const failed = isTrue(tj, 'Failed');
  if (failed) {
    const node = firstFailedNode(pods);
    const where = node ? ` Node ${node.rank}'s pod failed first${node.exitCode !== null ? ` with exit code ${node.exitCode}` : ''}.` : '';
    return { phase: 'Failed', reason: failed.reason || 'Failed', message: `The TrainJob failed: ${failed.message || failed.reason || 'no reason given'}.${where}`, failedRank: node?.rank ?? null, exitCode: node?.exitCode ?? null };
  }
  const complete = isTrue(tj, 'Complete');
  if (complete) return { phase: 'Complete', reason: 'Succeeded', message: complete.message || 'The TrainJob completed.', failedRank: null, exitCode: 0 };
  const suspended = isTrue(tj, 'Suspended');
  if (suspended) return { phase: 'Suspended', reason: suspended.reason || 'Suspended', message: `Suspended on the cluster${suspended.message ? `: ${suspended.message}` : ''} (spec.suspend, or a queue such as Kueue holds it).`, failedRank: null, exitCode: null };

  const nodes = podsByNode(pods);
  const running = [...nodes.values()].filter((p) => p.status?.phase === 'Running').length;
  const pending = [...nodes.entries()].filter(([, p]) => (p.status?.phase ?? 'Pending') === 'Pending');
  if (pending.length) {
    const [rank, pod] = pending[0]!;
    const why = pendingReason(pod, events) ?? 'pending.';
    const others = pending.length > 1 ? ` (${pending.length} nodes pending)` : '';
    return { phase: running ? 'Running' : 'Pending', reason: 'Pending', message: `Node ${rank}: ${why}${others}`, failedRank: null, exitCode: null };
  }
  if (running) return { phase: 'Running', reason: 'Running', message: `${running} node${running === 1 ? '' : 's'} running.`, failedRank: null, exitCode: null };
  if (!nodes.size) {
    // No pods to see (not created yet, or this user may not list pods): Trainer's own counts.
    const jobs = tj.status?.jobsStatus ?? [];
    const active = jobs.reduce((n, j) => n + (j.active ?? 0), 0);
    const ready = jobs.reduce((n, j) => n + (j.ready ?? 0), 0);
    if (active > 0 || ready > 0) {
      return { phase: 'Running', reason: 'Running', message: `Running: ${jobs.map((j) => `${j.name} ${j.ready ?? 0} ready / ${j.active ?? 0} active`).join(', ')} (the TrainJob's jobsStatus).`, failedRank: null, exitCode: null };
    }
    // Before JobSet and Jobs exist: a warning on the TrainJob (e.g. runtime not supported) explains it.
    const warn = events.find((e) => e.type === 'Warning' && e.involvedObject.kind === 'TrainJob');
    if (warn) return { phase: 'Pending', reason: warn.reason || 'Pending', message: `${warn.reason}: ${warn.message ?? ''}`.trim(), failedRank: null, exitCode: null };
    const age = now - (timeOf(tj.metadata.creationTimestamp) ?? now);
    const msg = age > 15_000 ? 'No pods yet after 15 s: is the Trainer controller running on this cluster (and JobSet)?' : 'Submitted; waiting for the Trainer controller to create the pods.';
    return { phase: 'Pending', reason: 'Pending', message: msg, failedRank: null, exitCode: null };
  }
  return { phase: 'Running', reason: 'Running', message: 'Nodes finished; waiting for the TrainJob to report its result.', failedRank: null, exitCode: null };
}

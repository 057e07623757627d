/**
 * Which pod is which trainer node. JobSet labels every pod with its replicated job, and the Job
 * controller with its completion index: Trainer's `node` job has one pod per node, index = node
 * rank. On a cluster the node's processes run inside its pod (the runtime's launcher starts
 * them), so a kubernetes job reports one rank entry per node: globalRank = nodeRank, and the
 * node's pod log goes to `rank-<nodeRank>.log`.
 */
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { PodObject } from './kube-types.js';
import { timeOf } from './kube-types.js';
import { NODE } from './manifest-adapt.js';

export const JOBSET_NAME_LABEL = 'jobset.sigs.k8s.io/jobset-name';
export const REPLICATED_JOB_LABEL = 'jobset.sigs.k8s.io/replicatedjob-name';
export const JOB_INDEX_LABEL = 'jobset.sigs.k8s.io/job-index';
export const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

export function roleOf(pod: PodObject): string {
  return pod.metadata.labels?.[REPLICATED_JOB_LABEL] ?? 'pod';
}

/** The node rank of a trainer pod; null for other steps (initializers, an MPI launcher). */
export function nodeRankOf(pod: PodObject): number | null {
  if (roleOf(pod) !== NODE) return null;
  const raw = pod.metadata.labels?.[COMPLETION_INDEX_LABEL] ?? pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  const index = Number(raw);
  return raw !== undefined && Number.isInteger(index) && index >= 0 ? index : null;
}

/** The pod that currently stands for each node: the newest one (a retried pod replaces its predecessor). */
export function podsByNode(pods: readonly PodObject[]): Map<number, PodObject> {
  const out = new Map<number, PodObject>();
  for (const pod of pods) {
    const rank = nodeRankOf(pod);
    if (rank === null) continue;
    const have = out.get(rank);
    if (!have || (timeOf(pod.metadata.creationTimestamp) ?? 0) >= (timeOf(have.metadata.creationTimestamp) ?? 0)) out.set(rank, pod);
  }
  return out;
}

/** The node container's end, or the first container that ended with an error. */
export function terminated(pod: PodObject) {
  const statuses = pod.status?.containerStatuses ?? [];
  const node = statuses.find((s) => s.name === NODE) ?? statuses[0];
  return node?.state?.terminated ?? statuses.find((s) => s.state?.terminated && s.state.terminated.exitCode !== 0)?.state?.terminated ?? null;
}

export function rankFromPod(nodeRank: number, pod: PodObject | undefined, cancelled = false): RankInfo {
  const base = { globalRank: nodeRank, nodeRank, localRank: 0, pid: null, signal: null };
  if (!pod) return { ...base, status: cancelled ? 'Cancelled' : 'Pending', exitCode: null };
  const end = terminated(pod);
  const phase = pod.status?.phase ?? 'Pending';
  const status: RankInfo['status'] =
    phase === 'Succeeded' ? 'Succeeded' : phase === 'Failed' ? 'Failed' : cancelled ? 'Cancelled' : phase === 'Running' ? 'Running' : phase === 'Unknown' ? 'Running' : 'Pending';
  const exitCode = status === 'Succeeded' ? (end?.exitCode ?? 0) : status === 'Failed' ? (end?.exitCode ?? null) : null;
  return { ...base, status, exitCode };
}

/** The pod's log has started: its node container runs or has run. */
export function logsAvailable(pod: PodObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') {
    const s = pod.status?.containerStatuses?.find((c) => c.name === NODE) ?? pod.status?.containerStatuses?.[0];
    return !s || Boolean(s.state?.running || s.state?.terminated || s.lastState?.terminated);
  }
  return false;
}

export function podEnded(pod: PodObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

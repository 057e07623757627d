/**
 * How a job's status is shown: the badge tone, whether it can be cancelled, and the status
 * timeline (Created → Running → Complete/Failed/Cancelled, with times). Pure; tested in node.
 */
import type { JobStatus, JobSummary, RankInfo } from '../../../engine/api/contract';
import { isFinal } from './jobs-list';

/** Badge colours (CSS `badge-job-<tone>`); the text always says the status too. */
export type StatusTone = 'created' | 'running' | 'complete' | 'failed' | 'cancelled';

export function statusTone(status: JobStatus): StatusTone {
  return status.toLowerCase() as StatusTone;
}

export function canCancel(status: JobStatus): boolean {
  return status === 'Created' || status === 'Running';
}

export interface TimelineStep {
  label: string;
  /** done: happened (at `at`); current: happening now; pending: not yet; skipped: never will. */
  state: 'done' | 'current' | 'pending' | 'skipped';
  tone: StatusTone | 'neutral';
  at: number | null;
}

type TimelineJob = Pick<JobSummary, 'status' | 'createdAt' | 'startedAt' | 'finishedAt'>;

export function jobTimeline(job: TimelineJob): TimelineStep[] {
  const final = isFinal(job.status);
  const created: TimelineStep = {
    label: 'Created',
    state: job.status === 'Created' ? 'current' : 'done',
    tone: job.status === 'Created' ? 'created' : 'neutral',
    at: job.createdAt,
  };
  const running: TimelineStep =
    job.startedAt !== null
      ? { label: 'Running', state: job.status === 'Running' ? 'current' : 'done', tone: job.status === 'Running' ? 'running' : 'neutral', at: job.startedAt }
      : { label: 'Running', state: final ? 'skipped' : 'pending', tone: 'neutral', at: null };
  const end: TimelineStep = final
    ? { label: job.status, state: 'done', tone: statusTone(job.status), at: job.finishedAt }
    : { label: 'Finished', state: 'pending', tone: 'neutral', at: null };
  return [created, running, end];
}

export type RankTone = 'created' | 'running' | 'complete' | 'failed' | 'cancelled';

const RANK_TONES: Record<RankInfo['status'], RankTone> = {
  Pending: 'created',
  Running: 'running',
  Succeeded: 'complete',
  Failed: 'failed',
  Cancelled: 'cancelled',
};

export function rankTone(status: RankInfo['status']): RankTone {
  return RANK_TONES[status];
}

/** `exit 1`, `SIGKILL`, `exit 137 (SIGKILL)`, or an empty string while it runs. */
export function rankExit(rank: Pick<RankInfo, 'exitCode' | 'signal'>): string {
  if (rank.exitCode !== null && rank.signal) return `exit ${rank.exitCode} (${rank.signal})`;
  if (rank.exitCode !== null) return `exit ${rank.exitCode}`;
  return rank.signal ?? '';
}

/** The ranks a job has (for the log filter), from its rank table or else its shape. */
export function rankNumbers(job: Pick<JobSummary, 'numNodes' | 'numProcPerNode'> & { ranks?: readonly RankInfo[] }): number[] {
  if (job.ranks && job.ranks.length > 0) return [...new Set(job.ranks.map((r) => r.globalRank))].sort((a, b) => a - b);
  const world = Math.max(1, job.numNodes * job.numProcPerNode);
  return Array.from({ length: Math.min(world, 4096) }, (_, i) => i);
}

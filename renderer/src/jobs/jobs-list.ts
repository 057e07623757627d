/**
 * The loaded job rows: pages from `jobs.list` and single jobs from `jobs.changed` merged by id,
 * newest first, without refetching. Pure; tested in node.
 */
import type { JobStatus, JobSummary } from '../../../engine/api/contract';
import { compareNewestFirst } from './jobs-filter';

export const FINAL: readonly JobStatus[] = ['Complete', 'Failed', 'Cancelled'];

export function isFinal(status: JobStatus): boolean {
  return FINAL.includes(status);
}

/** A job's status only moves forward: Created → Running → final. */
function progress(status: JobStatus): number {
  return status === 'Created' ? 0 : status === 'Running' ? 1 : 2;
}

/**
 * Of two copies of the same job, the one to keep: a page answered before an event arrived must
 * not move a job back (Running after Failed). At equal progress the incoming copy wins.
 */
export function fresher(current: JobSummary, incoming: JobSummary): JobSummary {
  return progress(incoming.status) >= progress(current.status) ? incoming : current;
}

/** Inserts or replaces one job, keeping newest-first order. Returns the same array if nothing changed. */
export function upsertJob(jobs: readonly JobSummary[], job: JobSummary): JobSummary[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i >= 0) {
    const kept = fresher(jobs[i]!, job);
    if (kept === jobs[i]) return jobs as JobSummary[];
    const next = jobs.slice();
    if (kept.createdAt === jobs[i]!.createdAt) {
      next[i] = kept;
      return next;
    }
    next.splice(i, 1);
    return insertSorted(next, kept);
  }
  return insertSorted(jobs.slice(), job);
}

function insertSorted(jobs: JobSummary[], job: JobSummary): JobSummary[] {
  // Binary search: the first row that sorts after `job`.
  let lo = 0;
  let hi = jobs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareNewestFirst(jobs[mid]!, job) <= 0) lo = mid + 1;
    else hi = mid;
  }
  jobs.splice(lo, 0, job);
  return jobs;
}

/**
 * Merges a page of jobs into the loaded rows (deduplicated by id, newest first). The next page of
 * a scroll is older than every loaded row: it is appended, which costs the page, not the 100,000
 * rows already loaded.
 */
export function mergeJobs(jobs: readonly JobSummary[], page: readonly JobSummary[]): JobSummary[] {
  if (page.length === 0) return jobs as JobSummary[];
  const last = jobs[jobs.length - 1];
  if (!last || (isNewestFirst(page) && compareNewestFirst(last, page[0]!) < 0)) return jobs.concat(page);
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const job of page) {
    const current = byId.get(job.id);
    byId.set(job.id, current ? fresher(current, job) : job);
  }
  return [...byId.values()].sort(compareNewestFirst);
}

function isNewestFirst(page: readonly JobSummary[]): boolean {
  for (let i = 1; i < page.length; i++) if (compareNewestFirst(page[i - 1]!, page[i]!) >= 0) return false;
  return true;
}

/** `2×4` — nodes × processes per node. */
export function shapeLabel(job: Pick<JobSummary, 'numNodes' | 'numProcPerNode'>): string {
  return `${job.numNodes}×${job.numProcPerNode}`;
}

/** `exit 0`, `exit 1 · RankFailed`, `Cancelled`, or an empty string while running. */
export function exitLabel(job: Pick<JobSummary, 'status' | 'exitCode' | 'reason'>): string {
  const parts: string[] = [];
  if (job.exitCode !== null) parts.push(`exit ${job.exitCode}`);
  // A reason says why a job did not simply succeed; "Succeeded" on a complete job adds nothing.
  if (job.reason && job.reason !== job.status && job.status !== 'Complete') parts.push(job.reason);
  if (parts.length === 0 && isFinal(job.status) && job.status !== 'Complete') parts.push(job.status);
  return parts.join(' · ');
}

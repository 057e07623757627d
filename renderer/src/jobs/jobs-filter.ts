/**
 * Which jobs the table shows: a status chip, a search box, newest first. Pure; tested in node.
 * The same filter runs over the rows already loaded and (as `jobs.list` input) on the engine.
 */
import type { JobStatus, JobSummary } from '../../../engine/api/contract';

export const STATUS_FILTERS = ['All', 'Running', 'Complete', 'Failed', 'Cancelled'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The job statuses a chip stands for; "Running" includes jobs still starting (Created). */
export function statusesFor(filter: StatusFilter): JobStatus[] | undefined {
  switch (filter) {
    case 'All':
      return undefined;
    case 'Running':
      return ['Created', 'Running'];
    default:
      return [filter];
  }
}

export function matchesStatus(job: Pick<JobSummary, 'status'>, filter: StatusFilter): boolean {
  const statuses = statusesFor(filter);
  return statuses === undefined || statuses.includes(job.status);
}

/** Whitespace-separated terms, each found (case-insensitively) in the name, id or workspace. */
export function searchTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

export function matchesSearch(job: Pick<JobSummary, 'name' | 'id' | 'workspace'>, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = `${job.name}\n${job.id}\n${job.workspace}`.toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

/** Newest first (createdAt), then by id so the order is stable. */
export function compareNewestFirst(a: JobSummary, b: JobSummary): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function filterJobs(jobs: readonly JobSummary[], filter: StatusFilter, query: string): JobSummary[] {
  const terms = searchTerms(query);
  if (filter === 'All' && terms.length === 0) return jobs as JobSummary[];
  return jobs.filter((job) => matchesStatus(job, filter) && matchesSearch(job, terms));
}

/** How many loaded jobs each chip would show (the numbers beside the chips). */
export function countByFilter(jobs: readonly JobSummary[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { All: jobs.length, Running: 0, Complete: 0, Failed: 0, Cancelled: 0 };
  for (const job of jobs) {
    if (job.status === 'Created' || job.status === 'Running') counts.Running += 1;
    else counts[job.status] += 1;
  }
  return counts;
}

/** Index to select after a key press in a list of `count` rows, or null when the key is not ours. */
export function nextSelection(current: number, key: string, count: number, page = 10): number | null {
  if (count <= 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : clamp(current + 1);
    case 'ArrowUp':
      return current < 0 ? 0 : clamp(current - 1);
    case 'PageDown':
      return clamp(current + page);
    case 'PageUp':
      return clamp(current - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

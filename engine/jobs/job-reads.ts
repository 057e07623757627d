/**
 * The read side of jobs: finding a job by id prefix, its detail (with the failing rank's last
 * lines), its logs and its metric series. Pure reads of the store and the log files; the job
 * service owns every write.
 */
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { JobDetail, MetricSeries } from '../api/schemas/jobs.js';
import { logDirOf } from './job-capture.js';
import { readJobLogs, type LogsRequest } from './job-logs-api.js';
import { isFinal, toSummary, type JobRepo, type StoredJob } from './job-repo.js';
import { JobLogIndex, lastLines } from './logs/log-index.js';
import { rankLogPath } from './logs/log-tailer.js';
import { readMetrics } from './metrics/metric-store.js';

export const FAILURE_LOG_LINES = 30;
const CACHED_INDEXES = 32;

/** A job by its id or a unique prefix; an ambiguous or unknown one is a clear error. */
export function findJob(repo: JobRepo, idOrPrefix: string): StoredJob {
  const { job, matches } = repo.find(idOrPrefix);
  if (job) return job;
  if (matches.length > 1) {
    throw new ApiError('bad_request', `"${idOrPrefix}" matches several jobs (${matches.join(', ')}${matches.length > 5 ? ', …' : ''}); type more of the id.`);
  }
  throw new ApiError('not_found', `No job "${idOrPrefix}". \`kfd jobs\` lists the jobs and their ids.`);
}

export async function jobDetail(repo: JobRepo, job: StoredJob): Promise<JobDetail> {
  let failureLog: string[] = [];
  if (job.status === 'Failed' && job.failedRank !== null) {
    failureLog = (await lastLines(rankLogPath(logDirOf(job.jobDir), job.failedRank), FAILURE_LOG_LINES)).map((r) => r.text);
  }
  return { ...toSummary(job), spec: job.spec, warnings: job.warnings, ranks: repo.ranks(job.id), failureLog };
}

/** Metric series by name; ranks other than 0 get their own series; NaN/∞ points are left out. */
export function jobMetrics(db: Database.Database, jobId: string, maxPoints: number): { series: MetricSeries[] } {
  const series = readMetrics(db, jobId, { maxPoints });
  const finite = (s: (typeof series)[number]) => s.points.filter(([, v]) => Number.isFinite(v)) as [number, number][];
  return { series: series.map((s) => ({ name: s.rank === 0 ? s.name : `${s.name} (rank ${s.rank})`, points: finite(s) })) };
}

/** Log pages through a small cache of per-job indexes (building one reads the files once). */
export class JobLogReader {
  private readonly indexes = new Map<string, JobLogIndex>();

  read(job: StoredJob, req: LogsRequest) {
    let index = this.indexes.get(job.id);
    if (!index) {
      if (this.indexes.size > CACHED_INDEXES) this.indexes.delete(this.indexes.keys().next().value!);
      index = new JobLogIndex(logDirOf(job.jobDir));
      this.indexes.set(job.id, index);
    }
    return readJobLogs(index, req, isFinal(job.status));
  }
}

/**
 * How engines that do not own the data dir hand work to the one that does (engine/ownership):
 * - `job_launches`: a job whose processes this engine is starting right now (environment setup,
 *   image pull, spawning). The owner leaves it alone until the row is gone, then re-attaches to
 *   it like to any running job; a row whose process died is stale and the owner takes the job.
 * - `job_requests`: "cancel this job", written by any engine; the engine that has the job in
 *   hand (the owner, or the one still launching it) carries it out and deletes the row.
 */
import type Database from 'better-sqlite3';
import { isRunning, type EngineIdentity, type ProcessIdentity } from '../ownership/process-identity.js';

export type JobRequestKind = 'cancel';

export class JobRequests {
  constructor(
    private readonly db: Database.Database,
    private readonly me: EngineIdentity,
  ) {}

  beginLaunch(jobId: string): void {
    this.db.prepare('INSERT OR REPLACE INTO job_launches (job_id, engine, pid, started) VALUES (?, ?, ?, ?)').run(jobId, this.me.engine, this.me.pid, this.me.started);
  }

  endLaunch(jobId: string): void {
    this.db.prepare('DELETE FROM job_launches WHERE job_id = ?').run(jobId);
  }

  /** Another engine, still alive, is starting this job. */
  launchingElsewhere(jobId: string): boolean {
    const row = this.db.prepare('SELECT engine, pid, started FROM job_launches WHERE job_id = ?').get(jobId) as EngineIdentity | undefined;
    return row !== undefined && row.engine !== this.me.engine && isRunning(row);
  }

  /** Jobs with a launch row whose process is gone (it crashed mid-launch): their rows are removed. */
  clearStaleLaunches(): void {
    const rows = this.db.prepare('SELECT job_id AS jobId, pid, started FROM job_launches').all() as (ProcessIdentity & { jobId: string })[];
    for (const r of rows) if (!isRunning(r)) this.endLaunch(r.jobId);
  }

  hasLaunches(): boolean {
    return this.db.prepare('SELECT 1 FROM job_launches LIMIT 1').get() !== undefined;
  }

  request(jobId: string, kind: JobRequestKind, now = Date.now()): void {
    this.db.prepare('INSERT OR IGNORE INTO job_requests (job_id, kind, requested_at) VALUES (?, ?, ?)').run(jobId, kind, now);
  }

  pending(kind: JobRequestKind): string[] {
    return this.db.prepare('SELECT job_id FROM job_requests WHERE kind = ? ORDER BY requested_at').pluck().all(kind) as string[];
  }

  done(jobId: string, kind: JobRequestKind): void {
    this.db.prepare('DELETE FROM job_requests WHERE job_id = ? AND kind = ?').run(jobId, kind);
  }
}

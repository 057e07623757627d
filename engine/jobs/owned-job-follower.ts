/**
 * Orchestrators (experiments, pipeline runs, model servers) hear of their jobs through
 * `jobs.changed`. In the data dir's owner engine that event comes from the capture itself; in any
 * other engine (a `kfd tune|pipeline run|models serve` driving its own work) the owner records
 * the jobs' progress and outcomes in the database. This follower reads the rows of jobs that
 * have an owner every FOLLOW_MS while this engine is not the owner, and emits `jobs.changed` for
 * each one whose status, times or message changed — so the orchestrator runs the same either way.
 */
import type Database from 'better-sqlite3';
import type { JobSummary } from '../api/schemas/jobs.js';

export const FOLLOW_MS = 300;

interface Row {
  id: string;
  status: string;
  message: string;
  started_at: number | null;
  finished_at: number | null;
}

const fingerprint = (r: Row) => `${r.status}|${r.started_at ?? ''}|${r.finished_at ?? ''}|${r.message}`;

export class OwnedJobFollower {
  private timer: NodeJS.Timeout | null = null;
  /** Jobs seen unfinished, and how they looked then. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly deps: { db: Database.Database; isOwner(): boolean; summary(id: string): JobSummary | undefined; emit(job: JobSummary): void; everyMs?: number }) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.deps.everyMs ?? FOLLOW_MS);
    this.timer.unref(); // a command ends when its work does, not when this stops
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look (public for tests): emits for every owned job that changed since the last look. */
  poll(): void {
    if (this.deps.isOwner()) {
      this.seen.clear(); // the owner's capture emits them itself
      return;
    }
    const cols = 'id, status, message, started_at, finished_at';
    const open = this.deps.db.prepare(`SELECT ${cols} FROM jobs WHERE owner_id IS NOT NULL AND status IN ('Created', 'Running')`).all() as Row[];
    const openIds = new Set(open.map((r) => r.id));
    const byId = this.deps.db.prepare(`SELECT ${cols} FROM jobs WHERE id = ?`);
    // Jobs that were open and are not any more: their final row, once.
    const ended = [...this.seen.keys()].filter((id) => !openIds.has(id)).map((id) => byId.get(id) as Row | undefined);
    for (const row of [...open, ...ended]) {
      if (!row) continue;
      const now = fingerprint(row);
      const before = this.seen.get(row.id);
      if (openIds.has(row.id)) this.seen.set(row.id, now);
      else this.seen.delete(row.id);
      if (before === now) continue;
      const job = this.deps.summary(row.id);
      if (job) this.deps.emit(job);
    }
  }
}

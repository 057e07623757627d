/**
 * The running jobs this engine watches: as the owner of the data dir (engine/ownership) every
 * one — started here, left by an earlier engine, or started by another engine and adopted —
 * and otherwise only one it must end itself (a cancel that arrived while it was starting it).
 * Watching means the backend's RunningJob plus, for the owner, the log/metric capture. A job's
 * outcome is recorded once, after its logs have been read to the last line.
 */
import type Database from 'better-sqlite3';
import type { EventBus } from '../api/event-bus.js';
import type { BackendId } from '../api/schemas/jobs.js';
import type { Backend, BackendCallbacks, JobOutcome, RunningJob } from '../backends/backend.js';
import { failureHint } from './failure-hint.js';
import { JobCapture, logDirOf } from './job-capture.js';
import { FAILURE_LOG_LINES } from './job-reads.js';
import type { JobRepo, StoredJob } from './job-repo.js';
import { lastLines } from './logs/log-index.js';
import { rankLogPath } from './logs/log-tailer.js';

export interface WatchedJobsDeps {
  db: Database.Database;
  events: EventBus;
  repo: JobRepo;
  backend(id: BackendId): Promise<Backend | undefined>;
  callbacks(id: string, jobDir: string): BackendCallbacks;
  /** The interpreter a failed job ran with, for the failure hint. */
  python(id: string): string;
  emitChanged(id: string): void;
}

interface Entry {
  running: RunningJob;
  capture: JobCapture | null;
}

export class WatchedJobs {
  private readonly entries = new Map<string, Entry>();
  /** finish() calls under way: letting go waits for them, so they never write after the lease is gone. */
  private readonly finishing = new Map<string, Promise<void>>();

  constructor(private readonly deps: WatchedJobsDeps) {}

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /**
   * Watches `running` until it ends and records the outcome; resolves once it is recorded (never,
   * if the engine lets go of the job first). `capture`: tail its logs live (the owner does).
   */
  watch(id: string, jobDir: string, running: RunningJob, capture: boolean): Promise<void> {
    const entry: Entry = { running, capture: capture ? new JobCapture(this.deps.db, this.deps.events, id, jobDir) : null };
    this.entries.set(id, entry);
    const current = () => this.entries.get(id) === entry;
    return running.done
      .then(
        (outcome) => (current() ? this.finish(id, outcome) : undefined),
        (err: unknown) =>
          current() ? this.finish(id, { status: 'Failed', reason: 'BackendError', message: (err as Error).message, exitCode: null, failedRank: null }) : undefined,
      )
      .catch((err: unknown) => console.warn(`job ${id}: could not record its outcome:`, err));
  }

  /**
   * Re-attaches to a job some engine started (after a restart, or one another engine launched);
   * returns the promise of its recorded outcome when every rank had already ended, else null.
   */
  async adopt(job: StoredJob): Promise<Promise<void> | null> {
    const backend = await this.deps.backend(job.backend).catch((err: unknown) => {
      console.warn(`job ${job.id}: the ${job.backend} backend could not be loaded:`, err);
      return undefined;
    });
    if (!backend) {
      this.deps.repo.finish(job.id, { status: 'Failed', reason: 'Lost', message: `The ${job.backend} backend is not available to re-attach.`, exitCode: null, failedRank: null }, Date.now());
      this.deps.emitChanged(job.id);
      return null;
    }
    try {
      const running = await backend.reattach(job.id, job.jobDir, this.deps.callbacks(job.id, job.jobDir));
      const recorded = this.watch(job.id, job.jobDir, running, true);
      this.deps.emitChanged(job.id);
      // Every rank ended while no engine watched: the caller may record that before anyone reads
      // the job (so nobody sees a job as running that has ended).
      return running.ranks().every((r) => r.status !== 'Pending' && r.status !== 'Running') ? recorded : null;
    } catch (err) {
      await this.finish(job.id, { status: 'Failed', reason: 'Lost', message: `Could not re-attach after a restart: ${(err as Error).message}`, exitCode: null, failedRank: null }, job.jobDir);
      return null;
    }
  }

  /** Cancels a watched job and resolves once its outcome is recorded; false if not watched here. */
  async cancel(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    await entry.running.cancel(); // `done` then resolves Cancelled and finish() records it
    await entry.running.done.catch(() => undefined);
    await this.settled(id);
    return true;
  }

  /** Waits until finish() has recorded the outcome (it runs after `done` resolves). */
  async settled(id: string): Promise<void> {
    for (let i = 0; i < 200 && this.entries.has(id); i++) await new Promise((r) => setTimeout(r, 25));
    await this.finishing.get(id);
  }

  /** Records a job's end once its capture has read the last line (`jobDir` for a job not watched here). */
  finish(id: string, outcome: JobOutcome, jobDir?: string): Promise<void> {
    const recorded = this.record(id, outcome, jobDir).finally(() => {
      if (this.finishing.get(id) === recorded) this.finishing.delete(id);
    });
    this.finishing.set(id, recorded);
    return recorded;
  }

  private async record(id: string, outcome: JobOutcome, jobDir?: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    const job = this.deps.repo.get(id);
    // Whoever records the end reads the logs to the last line first; nobody else watches the job.
    const dir = jobDir ?? job?.jobDir;
    const capture = entry?.capture ?? (dir ? new JobCapture(this.deps.db, this.deps.events, id, dir) : null);
    await capture?.finish();
    let message = outcome.message;
    if (outcome.status === 'Failed' && outcome.failedRank !== null && job) {
      const tail = await lastLines(rankLogPath(logDirOf(job.jobDir), outcome.failedRank), FAILURE_LOG_LINES);
      const hint = failureHint(tail.map((r) => r.text), this.deps.python(id));
      if (hint) message = `${message} ${hint}`;
    }
    this.deps.repo.finish(id, { ...outcome, message }, Date.now());
    this.deps.emitChanged(id);
  }

  /** Stops watching every job (they keep running; the next owner re-attaches) and waits for recordings under way. */
  async letGo(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) e.running.detach();
    await Promise.all(entries.map((e) => e.capture?.stop()));
    await Promise.allSettled([...this.finishing.values()]);
  }
}

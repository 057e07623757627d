/**
 * While a job runs (or after an app restart re-attaches it): tail its rank logs, turn lines
 * into metrics in the store, and forward both as batched events. How far each rank's log was
 * read is committed in the same transaction as the metric points read up to there, so a
 * restart resumes exactly where the last commit left off. Only the owner engine of the data
 * dir (engine/ownership) captures a running job.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { EventBus } from '../api/event-bus.js';
import type { LogLine } from '../api/schemas/jobs.js';
import type { LogRecord } from './logs/log-format.js';
import { tailJobLogs, type LogOffsets, type LogTail, type TailPosition } from './logs/log-tailer.js';
import { MetricWriter } from './metrics/metric-store.js';

const EVENT_INTERVAL_MS = 200;
/** A burst beyond this per interval is not pushed live; the UI pages it from the files. */
const MAX_LINES_PER_EVENT = 5000;
/** Metric points queued before they are written even if the next publish is not due. */
const FLUSH_ROWS = 20_000;

export function logDirOf(jobDir: string): string {
  return path.join(jobDir, 'logs');
}

/** Where a capture of an earlier version kept its offsets (read once when such a job is resumed). */
function legacyOffsets(jobDir: string): LogOffsets | undefined {
  try {
    return JSON.parse(readFileSync(path.join(jobDir, 'tail-offsets.json'), 'utf8')) as LogOffsets;
  } catch {
    return undefined;
  }
}

function storedPositions(db: Database.Database, jobId: string): TailPosition[] {
  return db.prepare('SELECT rank, offset, line FROM log_positions WHERE job_id = ?').all(jobId) as TailPosition[];
}

export class JobCapture {
  private readonly tail: LogTail;
  private readonly metrics: MetricWriter;
  private pendingLines: LogLine[] = [];
  private pendingPoints: { name: string; step: number; value: number }[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastPublish = 0;
  private stopped = false;

  constructor(
    db: Database.Database,
    private readonly events: EventBus,
    private readonly jobId: string,
    jobDir: string,
  ) {
    // Rows are committed only by publish(), together with the tail positions that cover them.
    this.metrics = new MetricWriter(db, jobId, { maxRows: Number.MAX_SAFE_INTEGER, maxDelayMs: 2 ** 31 - 1 });
    const positions = storedPositions(db, jobId);
    const legacy = legacyOffsets(jobDir);
    if (legacy) for (const p of positions) delete legacy[p.rank];
    this.tail = tailJobLogs({
      logDir: logDirOf(jobDir),
      fromPositions: positions,
      ...(legacy ? { fromOffsets: legacy } : {}),
      onRecords: (rank, records, firstLine) => this.onRecords(rank, records, firstLine),
    });
  }

  /**
   * Publishes at once when the last publish is older than the interval (the first line of a
   * quiet job shows up immediately), otherwise at the end of the interval (bursts are batched).
   */
  private schedule(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastPublish + EVENT_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.publish();
    }, wait);
  }

  private onRecords(rank: number, records: LogRecord[], firstLine: number): void {
    this.schedule();
    // Live chart points: rank 0's series (what the job detail charts by default).
    this.metrics.addRecords(rank, records, firstLine, rank === 0 ? this.pendingPoints : undefined);
    // A burst (a chatty job, or catching up after a restart) is committed as it is read, with the
    // positions that cover it: bounded memory, and short-lived garbage only.
    if (this.metrics.pending >= FLUSH_ROWS) this.metrics.flush(this.tail.positions());
    const room = Math.min(records.length, MAX_LINES_PER_EVENT - this.pendingLines.length);
    for (let i = 0; i < room; i++) {
      const r = records[i]!;
      this.pendingLines.push({ rank, ts: r.ts, stream: r.stream, text: r.text });
    }
    if (room < records.length) this.dropped += records.length - Math.max(0, room);
  }

  private publish(): void {
    this.lastPublish = Date.now();
    this.metrics.flush(this.tail.positions());
    if (this.pendingLines.length) {
      this.events.emit('jobs.log', { jobId: this.jobId, lines: this.pendingLines });
      this.pendingLines = [];
    }
    if (this.dropped) this.dropped = 0;
    if (this.pendingPoints.length) {
      const points = this.pendingPoints.filter((p) => Number.isFinite(p.value));
      if (points.length) this.events.emit('jobs.metrics', { jobId: this.jobId, points });
      this.pendingPoints = [];
    }
  }

  /** Read everything the ranks wrote, publish it, and stop. */
  async finish(): Promise<void> {
    await this.tail.poll();
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tail.stop();
    this.publish();
    this.metrics.close();
  }
}

/**
 * Metric points in the `metrics` table: written in batches (one transaction per batch, since a
 * transaction per row would cap a chatty job at a few thousand points a second), read back as
 * step-ordered series, optionally downsampled for charts of millions of points.
 *
 * A point's key is (job, name, rank, line): the 0-based line of `rank-<rank>.log` it was parsed
 * from. Reading a line twice (a resumed capture, two engines) can never store it twice.
 */
import type Database from 'better-sqlite3';
import type { LogRecord } from '../logs/log-format.js';
import { Downsampler } from './downsampler.js';
import { MetricSteps, parseMetricLine } from './metric-parser.js';

export { Downsampler, downsample } from './downsampler.js';

export interface MetricRow {
  rank: number;
  step: number;
  name: string;
  /** NaN is stored as NULL (SQLite has no NaN) and read back as NaN. */
  value: number;
  ts: number;
  /** The line of the rank's log it came from; default: the line after the last one of that rank. */
  line?: number;
}

/** How far a rank's log has been read: committed together with the points read up to there. */
export interface LogPosition {
  rank: number;
  /** Bytes into rank-<rank>.log. */
  offset: number;
  /** Lines before `offset`. */
  line: number;
}

export interface MetricWriterOptions {
  /** Flush when this many rows are queued. */
  maxRows?: number;
  /** Flush queued rows at most this long after the first was added. */
  maxDelayMs?: number;
  /** Errors of timer-driven flushes (the batch is dropped); defaults to console.warn. */
  onError?(err: unknown): void;
}

/** Rows per multi-row INSERT: one statement call per 100 points instead of per point. */
const ROWS_PER_INSERT = 100;
const COLS = 6; // name, rank, line, step, value, ts (the job id is bound once by name)

export class MetricWriter {
  /** Queued rows, flat: COLS values per row, ready to bind. */
  private params: unknown[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly steps = new Map<number, MetricSteps>();
  private readonly resumeAt = new Map<number, Array<[string, number]>>();
  private readonly nextLine = new Map<number, number>();
  private readonly maxRows: number;
  private readonly maxDelayMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly write: (params: unknown[], positions: readonly LogPosition[]) => void;

  constructor(
    db: Database.Database,
    readonly jobId: string,
    options: MetricWriterOptions = {},
  ) {
    this.maxRows = options.maxRows ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 250;
    this.onError = options.onError ?? ((err) => console.warn(`metrics of job ${jobId}:`, err));
    // A writer reopened for a job (tail resumed after an app restart) must continue step-less
    // series after their stored points, not restart them at 0. Empty for a new job.
    const stored = db.prepare('SELECT rank, name, MAX(step), MAX(line) FROM metrics WHERE job_id = ? GROUP BY name, rank').raw().all(jobId);
    for (const [rank, name, maxStep, maxLine] of stored as [number, string, number, number][]) {
      const list = this.resumeAt.get(rank) ?? [];
      list.push([name, maxStep + 1]);
      this.resumeAt.set(rank, list);
      this.nextLine.set(rank, Math.max(this.nextLine.get(rank) ?? 0, maxLine + 1));
    }
    const values = `(@job, ${Array(COLS).fill('?').join(', ')})`;
    const sql = (n: number) => `INSERT OR IGNORE INTO metrics (job_id, name, rank, line, step, value, ts) VALUES ${Array(n).fill(values).join(', ')}`;
    const insertOne = db.prepare(sql(1));
    const insertMany = db.prepare(sql(ROWS_PER_INSERT));
    const savePosition = db.prepare(
      `INSERT INTO log_positions (job_id, rank, offset, line) VALUES (@job, ?, ?, ?)
       ON CONFLICT (job_id, rank) DO UPDATE SET offset = excluded.offset, line = excluded.line`,
    );
    const job = { job: jobId };
    const many = ROWS_PER_INSERT * COLS;
    this.write = db.transaction((params: unknown[], positions: readonly LogPosition[]) => {
      let i = 0;
      for (; i + many <= params.length; i += many) insertMany.run(job, params.slice(i, i + many));
      for (; i < params.length; i += COLS) insertOne.run(job, params.slice(i, i + COLS));
      for (const p of positions) savePosition.run(job, p.rank, p.offset, p.line);
    });
  }

  /**
   * Parses log records of one rank and queues their metrics; returns the number of points.
   * `firstLine`: the line of `records[0]` in the rank's log (default: after the last one seen).
   */
  addRecords(rank: number, records: readonly Pick<LogRecord, 'ts' | 'text'>[], firstLine = this.nextLine.get(rank) ?? 0): number {
    let steps = this.steps.get(rank);
    if (!steps) this.steps.set(rank, (steps = new MetricSteps(this.resumeAt.get(rank))));
    this.nextLine.set(rank, firstLine + records.length);
    let added = 0;
    for (let i = 0; i < records.length; i++) {
      const rec = records[i]!;
      const parsed = parseMetricLine(rec.text);
      if (!parsed) continue;
      for (const p of steps.points(parsed)) {
        this.queue(p.name, rank, firstLine + i, p.step, p.value, rec.ts);
        added++;
      }
    }
    return added;
  }

  add(...rows: MetricRow[]): void {
    for (const row of rows) {
      if (!Number.isSafeInteger(row.step)) throw new RangeError(`metric step must be an integer, got ${row.step}`);
      const line = row.line ?? this.nextLine.get(row.rank) ?? 0;
      this.nextLine.set(row.rank, Math.max(this.nextLine.get(row.rank) ?? 0, line + 1));
      this.queue(row.name, row.rank, line, row.step, row.value, row.ts);
    }
  }

  /**
   * Writes everything queued now, and the log positions it was read up to, in one transaction;
   * returns the number of rows. Throws if the write fails.
   */
  flush(positions: readonly LogPosition[] = []): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.params;
    if (batch.length === 0 && positions.length === 0) return 0;
    this.params = [];
    this.write(batch, positions);
    return batch.length / COLS;
  }

  /** Flushes and refuses further rows. Close the writer before the store. */
  close(positions: readonly LogPosition[] = []): void {
    if (this.closed) return;
    this.closed = true;
    this.flush(positions);
  }

  get pending(): number {
    return this.params.length / COLS;
  }

  private queue(name: string, rank: number, line: number, step: number, value: number, ts: number): void {
    if (this.closed) throw new Error(`metric writer of job ${this.jobId} is closed`);
    this.params.push(name, rank, line, step, Number.isNaN(value) ? null : value, Math.trunc(ts));
    if (this.params.length >= this.maxRows * COLS) this.flush();
    else if (!this.timer && this.maxDelayMs < 2 ** 31 - 1) {
      this.timer = setTimeout(() => {
        this.timer = null;
        try {
          this.flush();
        } catch (err) {
          this.onError(err);
        }
      }, this.maxDelayMs);
      this.timer.unref(); // pending points must not keep the process alive; close() flushes
    }
  }
}

export interface ReadMetricsOptions {
  /** Default: every metric of the job. */
  names?: readonly string[];
  /** Only points logged after this time (ms): incremental refresh of a live chart. */
  sinceTs?: number;
  /** Only this rank. Default: all ranks, one series per (name, rank). */
  rank?: number;
  /** Downsample each series to at most this many points (first, last, and min/max per bucket). */
  maxPoints?: number;
}

export interface MetricSeries {
  name: string;
  rank: number;
  points: Array<[step: number, value: number]>;
}

/** Series ordered by name then rank; points by step (ties in log order). */
export function readMetrics(db: Database.Database, jobId: string, options: ReadMetricsOptions = {}): MetricSeries[] {
  const { sinceTs, rank, maxPoints } = options;
  let where = 'job_id = ? AND name = ?';
  if (sinceTs !== undefined) where += ' AND ts > ?';
  if (rank !== undefined) where += ' AND rank = ?';
  const args = (name: string) => [jobId, name, ...(sinceTs !== undefined ? [sinceTs] : []), ...(rank !== undefined ? [rank] : [])];
  // Log order is the table's own order: no sort. Steps almost always grow with the log, so the
  // series' step range is its first and last points (index seeks per rank, shared by the ranks
  // so their buckets line up), and the points stream through the downsampler in bounded memory.
  const inLogOrder = db.prepare(`SELECT rank, step, value FROM metrics WHERE ${where} ORDER BY rank, line`).raw();
  // A series whose steps go back somewhere (two loggers racing) is read sorted instead.
  const inStepOrder = db.prepare(`SELECT rank, step, value FROM metrics WHERE ${where} ORDER BY rank, step, line`).raw();
  const stepRange = db.prepare('SELECT MIN(step), MAX(step) FROM metrics WHERE job_id = ? AND name = ?').raw();
  const ranksOf = db
    .prepare(
      `WITH RECURSIVE r(rank) AS (
         SELECT MIN(rank) FROM metrics WHERE job_id = :job AND name = :name
         UNION ALL
         SELECT (SELECT MIN(rank) FROM metrics WHERE job_id = :job AND name = :name AND rank > r.rank) FROM r WHERE r.rank IS NOT NULL
       ) SELECT rank FROM r WHERE rank IS NOT NULL`,
    )
    .pluck();
  const firstStep = db.prepare('SELECT step FROM metrics WHERE job_id = ? AND name = ? AND rank = ? ORDER BY line LIMIT 1').pluck();
  const lastStep = db.prepare('SELECT step FROM metrics WHERE job_id = ? AND name = ? AND rank = ? ORDER BY line DESC LIMIT 1').pluck();

  const read = (name: string, rows: Database.Statement, lo: number, hi: number, sortedOnly: boolean): MetricSeries[] | null => {
    const out: MetricSeries[] = [];
    let current: { rank: number; s: Downsampler; last: number } | null = null;
    const close = () => current && out.push({ name, rank: current.rank, points: current.s.result() });
    for (const [r, step, value] of rows.iterate(...args(name)) as Iterable<[number, number, number | null]>) {
      if (!current || current.rank !== r) {
        close();
        current = { rank: r, s: new Downsampler(lo, hi, maxPoints ?? Infinity), last: -Infinity };
      } else if (sortedOnly && step < current.last) {
        return null; // ends the iteration (better-sqlite3 resets the statement)
      }
      current.last = step;
      current.s.add(step, value ?? NaN);
    }
    close();
    return out;
  };

  return db.transaction(() => {
    const out: MetricSeries[] = [];
    for (const name of options.names ?? metricNames(db, jobId)) {
      let lo = 0;
      let hi = 0;
      if (maxPoints !== undefined) {
        const ranks = ranksOf.all({ job: jobId, name }) as number[];
        lo = Math.min(...ranks.map((r) => firstStep.get(jobId, name, r) as number));
        hi = Math.max(...ranks.map((r) => lastStep.get(jobId, name, r) as number));
      }
      let series = read(name, inLogOrder, lo, hi, true);
      if (!series) {
        if (maxPoints !== undefined) [lo, hi] = stepRange.get(jobId, name) as [number, number];
        series = read(name, inStepOrder, lo, hi, false)!;
      }
      out.push(...series);
    }
    return out;
  })();
}

/** Distinct names by hopping through the primary key (job_id, name, …): one seek per name. */
export function metricNames(db: Database.Database, jobId: string): string[] {
  return db
    .prepare(
      `WITH RECURSIVE n(name) AS (
         SELECT MIN(name) FROM metrics WHERE job_id = :job
         UNION ALL
         SELECT (SELECT MIN(name) FROM metrics WHERE job_id = :job AND name > n.name) FROM n WHERE n.name IS NOT NULL
       ) SELECT name FROM n WHERE name IS NOT NULL`,
    )
    .pluck()
    .all({ job: jobId }) as string[];
}


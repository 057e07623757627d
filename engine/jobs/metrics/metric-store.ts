/**
 * Metric points in the store: written in batches (one transaction per batch, since a
 * transaction per row would cap a chatty job at a few thousand points a second), read back as
 * step-ordered series (metric-reader.ts), optionally downsampled for charts of millions of points.
 *
 * A series is one name of one rank of one job (`metric_series`); a point (`metric_points`) is
 * keyed by its series and the 0-based line of `rank-<rank>.log` it was parsed from, so reading a
 * line twice (a resumed capture, two engines) can never store it twice. The `metrics` view shows
 * both as one table (job_id, name, rank, line, step, value, ts).
 */
import type Database from 'better-sqlite3';
import type { LogRecord } from '../logs/log-format.js';
import { MetricSteps, parseMetricLine, type MetricPoint } from './metric-parser.js';

export { Downsampler, downsample } from './downsampler.js';
export { metricNames, readMetrics, type MetricSeries, type ReadMetricsOptions } from './metric-reader.js';

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

/** Rows per multi-row INSERT: one statement call per 200 points instead of per point. */
const ROWS_PER_INSERT = 200;
/** Bound per row: series, line, step, value, ts. */
const COLS = 5;
const NEVER = 2 ** 31 - 1;

export class MetricWriter {
  /** Queued rows as full statement-sized chunks (bound as they are) and the chunk being filled; a row's first value is the series' index in `series` until the flush puts its id there. */
  private chunks: unknown[][] = [];
  private params: unknown[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Series this writer has seen (rank → name → index in `series`), with their ids once known. */
  private readonly seriesIndex = new Map<number, Map<string, number>>();
  private readonly series: { name: string; rank: number; id: number | null }[] = [];
  private readonly steps = new Map<number, MetricSteps>();
  private readonly resumeAt = new Map<number, Array<[string, number]>>();
  private readonly nextLine = new Map<number, number>();
  private readonly maxRows: number;
  private readonly maxDelayMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly write: (chunks: unknown[][], rest: unknown[], positions: readonly LogPosition[]) => void;

  constructor(
    db: Database.Database,
    readonly jobId: string,
    options: MetricWriterOptions = {},
  ) {
    this.maxRows = options.maxRows ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 250;
    this.onError = options.onError ?? ((err) => console.warn(`metrics of job ${jobId}:`, err));
    // A writer reopened for a job (tail resumed after an app restart) must continue step-less
    // series after their stored points, not restart them at 0. One seek per series.
    const stored = db
      .prepare(
        `SELECT s.id, s.rank, s.name, p.step, p.line FROM metric_series s
           JOIN metric_points p ON p.series = s.id AND p.line = (SELECT MAX(line) FROM metric_points WHERE series = s.id)
          WHERE s.job_id = ?`,
      )
      .raw()
      .all(jobId) as [number, number, string, number, number][];
    for (const [id, rank, name, lastStep, lastLine] of stored) {
      this.series[this.indexOf(name, rank)]!.id = id;
      const list = this.resumeAt.get(rank) ?? [];
      list.push([name, lastStep + 1]);
      this.resumeAt.set(rank, list);
      this.nextLine.set(rank, Math.max(this.nextLine.get(rank) ?? 0, lastLine + 1));
    }
    const sql = (n: number) => `INSERT OR IGNORE INTO metric_points (series, line, step, value, ts) VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}`;
    const insertMany = db.prepare(sql(ROWS_PER_INSERT));
    const insertRest = new Map<number, Database.Statement>(); // by row count, prepared once
    const findSeries = db.prepare('SELECT id FROM metric_series WHERE job_id = ? AND name = ? AND rank = ?').pluck();
    const addSeries = db.prepare('INSERT INTO metric_series (job_id, name, rank) VALUES (?, ?, ?)');
    const savePosition = db.prepare(
      `INSERT INTO log_positions (job_id, rank, offset, line) VALUES (?, ?, ?, ?)
       ON CONFLICT (job_id, rank) DO UPDATE SET offset = excluded.offset, line = excluded.line`,
    );
    const ids = (): number[] =>
      this.series.map((s) => (s.id ??= ((findSeries.get(jobId, s.name, s.rank) as number | undefined) ?? Number(addSeries.run(jobId, s.name, s.rank).lastInsertRowid))));
    const withIds = (rows: unknown[], known: number[]) => {
      for (let i = 0; i < rows.length; i += COLS) rows[i] = known[rows[i] as number];
      return rows;
    };
    this.write = db.transaction((chunks: unknown[][], rest: unknown[], positions: readonly LogPosition[]) => {
      const known = chunks.length > 0 || rest.length > 0 ? ids() : [];
      for (const chunk of chunks) insertMany.run(withIds(chunk, known));
      if (rest.length > 0) {
        const n = rest.length / COLS;
        let stmt = insertRest.get(n);
        if (!stmt) insertRest.set(n, (stmt = db.prepare(sql(n))));
        stmt.run(withIds(rest, known));
      }
      for (const p of positions) savePosition.run(jobId, p.rank, p.offset, p.line);
    });
    // A failed transaction rolls back the series rows it made: their ids are not known after all.
    const write = this.write;
    this.write = (chunks, rest, positions) => {
      const before = this.series.map((s) => s.id);
      try {
        write(chunks, rest, positions);
      } catch (err) {
        this.series.forEach((s, i) => (s.id = before[i] ?? null));
        throw err;
      }
    };
  }

  private indexOf(name: string, rank: number): number {
    let names = this.seriesIndex.get(rank);
    if (!names) this.seriesIndex.set(rank, (names = new Map()));
    let i = names.get(name);
    if (i === undefined) {
      i = this.series.push({ name, rank, id: null }) - 1;
      names.set(name, i);
    }
    return i;
  }

  /**
   * Parses log records of one rank and queues their metrics; returns the number of points.
   * `firstLine`: the line of `records[0]` in the rank's log (default: after the last one seen).
   */
  addRecords(
    rank: number,
    records: readonly Pick<LogRecord, 'ts' | 'text'>[],
    firstLine = this.nextLine.get(rank) ?? 0,
    /** Also collects the points of lines that carry their own step (the live chart's points). */
    live?: MetricPoint[],
  ): number {
    let steps = this.steps.get(rank);
    if (!steps) this.steps.set(rank, (steps = new MetricSteps(this.resumeAt.get(rank))));
    this.nextLine.set(rank, firstLine + records.length);
    let added = 0;
    for (let i = 0; i < records.length; i++) {
      const rec = records[i]!;
      const parsed = parseMetricLine(rec.text);
      if (!parsed) continue;
      for (const name in parsed.values) {
        const value = parsed.values[name]!;
        const step = steps.stepOf(name, parsed.step);
        this.queue(name, rank, firstLine + i, step, value, rec.ts);
        if (live && parsed.step !== null) live.push({ name, step, value });
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
    const { chunks, params: rest, queued } = this;
    if (queued === 0 && positions.length === 0) return 0;
    this.chunks = [];
    this.params = [];
    this.queued = 0;
    this.write(chunks, rest, positions);
    return queued;
  }

  /** Flushes and refuses further rows. Close the writer before the store. */
  close(positions: readonly LogPosition[] = []): void {
    if (this.closed) return;
    this.closed = true;
    this.flush(positions);
  }

  get pending(): number {
    return this.queued;
  }

  private queue(name: string, rank: number, line: number, step: number, value: number, ts: number): void {
    if (this.closed) throw new Error(`metric writer of job ${this.jobId} is closed`);
    this.params.push(this.indexOf(name, rank), line, step, Number.isNaN(value) ? null : value, Math.trunc(ts));
    if (this.params.length === ROWS_PER_INSERT * COLS) {
      this.chunks.push(this.params);
      this.params = [];
    }
    if (++this.queued >= this.maxRows) this.flush();
    else if (!this.timer && this.maxDelayMs < NEVER) {
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

/**
 * Metric series read back for charts: per series, its points in step order, downsampled when
 * asked. Points are stored in log order (metric-store.ts); steps almost always grow with the
 * log, so a series is streamed in that order through the downsampler in bounded memory, its step
 * range read from its first and last points. A series whose steps go back somewhere (two loggers
 * racing) is read sorted by step instead.
 */
import type Database from 'better-sqlite3';
import { Downsampler } from './downsampler.js';

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
  const since = sinceTs !== undefined ? ' AND ts > ?' : '';
  const args = (series: number) => (sinceTs !== undefined ? [series, sinceTs] : [series]);
  const inLogOrder = db.prepare(`SELECT step, value FROM metric_points WHERE series = ?${since} ORDER BY line`).raw();
  const inStepOrder = db.prepare(`SELECT step, value FROM metric_points WHERE series = ?${since} ORDER BY step, line`).raw();
  const seriesOf = db.prepare(`SELECT id, rank FROM metric_series WHERE job_id = ? AND name = ?${rank !== undefined ? ' AND rank = ?' : ''} ORDER BY rank`).raw();
  const allRanks = db.prepare('SELECT id FROM metric_series WHERE job_id = ? AND name = ?').pluck();
  const firstStep = db.prepare('SELECT step FROM metric_points WHERE series = ? ORDER BY line LIMIT 1').pluck();
  const lastStep = db.prepare('SELECT step FROM metric_points WHERE series = ? ORDER BY line DESC LIMIT 1').pluck();
  const stepRange = db.prepare('SELECT MIN(step), MAX(step) FROM metric_points WHERE series = ?').raw();

  /** The points of one series, or null if `sortedOnly` and its steps go back. */
  const read = (series: number, rows: Database.Statement, lo: number, hi: number, sortedOnly: boolean): MetricSeries['points'] | null => {
    const s = new Downsampler(lo, hi, maxPoints ?? Infinity);
    let last = -Infinity;
    for (const [step, value] of rows.iterate(...args(series)) as Iterable<[number, number | null]>) {
      if (sortedOnly && step < last) return null; // ends the iteration (better-sqlite3 resets the statement)
      last = step;
      s.add(step, value ?? NaN);
    }
    return s.result();
  };

  return db.transaction(() => {
    const out: MetricSeries[] = [];
    for (const name of options.names ?? metricNames(db, jobId)) {
      const ids = (allRanks.all(jobId, name) as number[]).filter((id) => firstStep.get(id) !== undefined);
      if (ids.length === 0) continue;
      // One step range for all ranks of a name, so their buckets line up.
      let lo = 0;
      let hi = 0;
      if (maxPoints !== undefined) {
        lo = Math.min(...ids.map((id) => firstStep.get(id) as number));
        hi = Math.max(...ids.map((id) => lastStep.get(id) as number));
      }
      const rankArgs = rank !== undefined ? [jobId, name, rank] : [jobId, name];
      for (const [id, r] of seriesOf.all(...rankArgs) as [number, number][]) {
        let points = read(id, inLogOrder, lo, hi, true);
        if (!points) {
          if (maxPoints !== undefined) {
            const ranges = ids.map((i) => stepRange.get(i) as [number, number]);
            lo = Math.min(...ranges.map(([a]) => a));
            hi = Math.max(...ranges.map(([, b]) => b));
          }
          points = read(id, inStepOrder, lo, hi, false)!;
        }
        if (points.length > 0) out.push({ name, rank: r, points });
      }
    }
    return out;
  })();
}

/** The job's metric names, in order. */
export function metricNames(db: Database.Database, jobId: string): string[] {
  return db.prepare('SELECT DISTINCT name FROM metric_series WHERE job_id = ? ORDER BY name').pluck().all(jobId) as string[];
}

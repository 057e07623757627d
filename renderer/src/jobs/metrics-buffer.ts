/**
 * Metric series for the charts: the `jobs.metrics` answer merged with live `jobs.metrics` points
 * (which may arrive before, during or after that answer), ordered by step, one value per step,
 * bounded per series. Pure; tested in node.
 */
import type { MetricSeries } from '../../../engine/api/contract';

export interface SeriesData {
  steps: number[];
  values: number[];
  /** Goes up whenever this series changes (the chart redraws only changed series). */
  version: number;
}

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

export const DEFAULT_MAX_POINTS = 20_000;

export class MetricsBuffer {
  private readonly map = new Map<string, SeriesData>();
  version = 0;

  constructor(readonly maxPoints = DEFAULT_MAX_POINTS) {}

  /** Series names in the order they first appeared. */
  names(): string[] {
    return [...this.map.keys()];
  }

  get(name: string): SeriesData | undefined {
    return this.map.get(name);
  }

  get size(): number {
    return this.map.size;
  }

  /** Merges the API's series (possibly downsampled) with what is already held. */
  merge(series: readonly MetricSeries[]): void {
    for (const s of series) {
      for (const [step, value] of s.points) this.put(s.name, step, value);
    }
    this.finish();
  }

  /** Live points; the usual case (steps increasing) is an append. */
  append(points: readonly MetricPoint[]): void {
    for (const p of points) this.put(p.name, p.step, p.value);
    this.finish();
  }

  private touched = new Set<SeriesData>();

  private put(name: string, step: number, value: number): void {
    if (!Number.isFinite(step) || Number.isNaN(value)) return;
    let s = this.map.get(name);
    if (!s) {
      s = { steps: [], values: [], version: 0 };
      this.map.set(name, s);
    }
    this.touched.add(s);
    const n = s.steps.length;
    if (n === 0 || step > s.steps[n - 1]!) {
      s.steps.push(step);
      s.values.push(value);
      return;
    }
    const i = lowerBound(s.steps, step);
    if (s.steps[i] === step) {
      s.values[i] = value; // the same step again: the newer value wins
    } else {
      s.steps.splice(i, 0, step);
      s.values.splice(i, 0, value);
    }
  }

  private finish(): void {
    if (this.touched.size === 0) return;
    for (const s of this.touched) {
      if (s.steps.length > this.maxPoints) thin(s, this.maxPoints);
      s.version += 1;
    }
    this.touched.clear();
    this.version += 1;
  }
}

/** First index whose step is >= `step`. */
export function lowerBound(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Halves the older points (every other one) until the series fits, keeping the newest quarter
 * at full resolution and always the first and last points.
 */
export function thin(s: Pick<SeriesData, 'steps' | 'values'>, maxPoints: number): void {
  while (s.steps.length > maxPoints) {
    const n = s.steps.length;
    const keepTail = Math.floor(maxPoints / 4);
    const cut = n - keepTail;
    const steps: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < cut; i++) {
      if (i === 0 || i % 2 === 0) {
        steps.push(s.steps[i]!);
        values.push(s.values[i]!);
      }
    }
    for (let i = cut; i < n; i++) {
      steps.push(s.steps[i]!);
      values.push(s.values[i]!);
    }
    if (steps.length === n) return; // cannot shrink further
    s.steps = steps;
    s.values = values;
  }
}

/**
 * Downsampling of step-ordered metric series for charts: bounded memory however long the series,
 * spikes kept (see `Downsampler`).
 */
export type Point = [number, number];

/**
 * Streaming downsampling of a step-ordered series to at most `maxPoints`. Up to `maxPoints`
 * points come back unchanged. Beyond that: the first and last points, plus the lowest and
 * highest of each equal-width step bucket, so spikes (a loss blowing up) survive. NaN is
 * ignored for min/max; an all-NaN bucket keeps one NaN so the gap still shows. Memory is
 * O(maxPoints) however long the series.
 */
export class Downsampler {
  private raw: Point[] | null = [];
  private readonly out: Point[] = [];
  private readonly buckets: number;
  private readonly span: number;
  private seen = 0;
  private pending: Point | null = null;
  private pendingAt = 0;
  private bucket = -1;
  private lo: Point | null = null;
  private hi: Point | null = null;
  private loAt = 0;
  private hiAt = 0;

  constructor(
    private readonly firstStep: number,
    lastStep: number,
    private readonly maxPoints: number,
  ) {
    this.buckets = Math.max(0, Math.floor((maxPoints - 2) / 2));
    this.span = Math.max(1, lastStep - firstStep + 1);
  }

  add(step: number, value: number): void {
    if (!this.raw) return this.stream([step, value]);
    this.raw.push([step, value]);
    if (this.raw.length <= this.maxPoints) return;
    const held = this.raw; // too many after all: replay what was held back
    this.raw = null;
    for (const p of held) this.stream(p);
  }

  result(): Point[] {
    if (this.raw) return this.raw;
    this.closeBucket();
    if (this.pending && this.maxPoints >= 2) this.out.push(this.pending);
    this.pending = null;
    return this.out;
  }

  private stream(p: Point): void {
    const i = this.seen++;
    if (i === 0) return void (this.maxPoints >= 1 && this.out.push(p));
    // The newest point may be the last one, which is always kept: fold the one before it.
    if (this.pending) this.fold(this.pending, this.pendingAt);
    this.pending = p;
    this.pendingAt = i;
  }

  private fold(p: Point, at: number): void {
    if (this.buckets === 0) return;
    const b = Math.min(this.buckets - 1, Math.max(0, Math.floor(((p[0] - this.firstStep) * this.buckets) / this.span)));
    if (b !== this.bucket) {
      this.closeBucket();
      this.bucket = b;
    }
    const v = p[1];
    if (!this.lo || (Number.isNaN(this.lo[1]) && !Number.isNaN(v)) || v < this.lo[1]) [this.lo, this.loAt] = [p, at];
    if (!this.hi || (Number.isNaN(this.hi[1]) && !Number.isNaN(v)) || v > this.hi[1]) [this.hi, this.hiAt] = [p, at];
  }

  private closeBucket(): void {
    if (this.lo && this.hi) {
      if (this.loAt === this.hiAt) this.out.push(this.lo);
      else if (this.loAt < this.hiAt) this.out.push(this.lo, this.hi);
      else this.out.push(this.hi, this.lo);
    }
    this.lo = this.hi = null;
  }
}

/** Downsamples an in-memory, step-ordered series (see `Downsampler`). */
export function downsample(points: ReadonlyArray<Point>, maxPoints: number): Point[] {
  const s = new Downsampler(points[0]?.[0] ?? 0, points.at(-1)?.[0] ?? 0, maxPoints);
  for (const [step, value] of points) s.add(step, value);
  return s.result();
}

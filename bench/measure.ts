/** Tiny benchmark helpers: warm up, time N iterations, report the median per-op time. */
export interface Sample {
  name: string;
  medianMs: number;
  opsPerSec: number;
}

export async function measure(name: string, fn: () => Promise<unknown> | unknown, iterations = 200, warmup = 20): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return { name, medianMs, opsPerSec: medianMs > 0 ? 1000 / medianMs : Infinity };
}

export function ratioLine(subject: Sample, baseline: Sample): string {
  const ratio = subject.medianMs / baseline.medianMs;
  return `${subject.name}: ${subject.medianMs.toFixed(3)} ms median vs ${baseline.name}: ${baseline.medianMs.toFixed(3)} ms → ${ratio.toFixed(2)}× the baseline`;
}

/** A Sample from already-measured times (ms). */
export function median(name: string, times: number[]): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { name, medianMs, opsPerSec: medianMs > 0 ? 1000 / medianMs : Infinity };
}

/** Runs `fn` (which returns the ms it measured) `warmup` times unrecorded, then `runs` times. */
export async function timed(runs: number, warmup: number, fn: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  return times;
}

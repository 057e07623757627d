/**
 * Katib's StdOut metrics collector, locally: each output line of a trial is matched against the
 * metrics format (Katib's default `name=value`, or the experiment's own regular expressions with
 * two groups, name and value); only the experiment's metric names count. The observation keeps
 * min, max and latest per metric, and the objective is read with the metric's strategy.
 */
import type { ExperimentPlan, MetricStrategy } from './parse-experiment.js';

/** Katib's default StdOut format (pkg/metricscollector: `([\w|-]+)\s*=\s*([+-]?\d*(\.\d+)?([Ee][+-]?\d+)?)`). */
export const KATIB_DEFAULT_METRICS_FORMAT = '([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?([Ee][+-]?\\d+)?)';

/** Go's named groups `(?P<x>…)` are written `(?<x>…)` in JavaScript; the rest of the common syntax is shared. */
export function compileMetricsFormat(source: string): { regex: RegExp | null; error: string | null } {
  let regex: RegExp;
  try {
    regex = new RegExp(source.replace(/\(\?P</g, '(?<'), 'g');
  } catch (err) {
    return { regex: null, error: `not a valid regular expression: ${(err as Error).message}.` };
  }
  const groups = new RegExp(`${regex.source}|`).exec('')!.length - 1;
  if (groups < 2) return { regex: null, error: `needs two groups, the metric name and its value, e.g. "(\\\\w+)=([-+]?\\\\d*\\\\.?\\\\d+)"; it has ${groups}.` };
  return { regex, error: null };
}

export interface MetricObservation {
  name: string;
  min: number;
  max: number;
  latest: number;
  /** Every value in order (medianstop compares with them). */
  values: number[];
}

/** Collects metric values from lines as they arrive; one per trial. */
export class MetricsCollector {
  private readonly regexes: RegExp[];
  private readonly wanted: Set<string>;
  readonly observations = new Map<string, MetricObservation>();

  constructor(formats: readonly string[], metricNames: readonly string[]) {
    this.regexes = formats.map((f) => compileMetricsFormat(f).regex).filter((r): r is RegExp => r !== null);
    this.wanted = new Set(metricNames);
  }

  /** Adds one output line; returns the metric names it reported. */
  add(line: string): string[] {
    const seen: string[] = [];
    for (const regex of this.regexes) {
      regex.lastIndex = 0;
      for (const m of line.matchAll(regex)) {
        const name = m[1]?.trim();
        const raw = m[2]?.trim();
        if (!name || !raw || !this.wanted.has(name)) continue;
        const value = Number(raw);
        if (!Number.isFinite(value)) continue;
        const o = this.observations.get(name);
        if (o) {
          o.min = Math.min(o.min, value);
          o.max = Math.max(o.max, value);
          o.latest = value;
          o.values.push(value);
        } else {
          this.observations.set(name, { name, min: value, max: value, latest: value, values: [value] });
        }
        seen.push(name);
      }
    }
    return seen;
  }
}

export function extract(o: MetricObservation, strategy: MetricStrategy): number {
  return strategy === 'min' ? o.min : strategy === 'max' ? o.max : o.latest;
}

/** The trial's objective value, or null when it never printed the objective metric. */
export function objectiveOf(plan: ExperimentPlan, observations: Map<string, MetricObservation>): number | null {
  const o = observations.get(plan.objective.metric);
  return o ? extract(o, plan.objective.strategies[plan.objective.metric] ?? 'latest') : null;
}

/** name → value by each metric's strategy (what a trial row shows). */
export function metricValues(plan: ExperimentPlan, observations: Map<string, MetricObservation>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, o] of observations) out[name] = extract(o, plan.objective.strategies[name] ?? 'latest');
  return out;
}

/**
 * Lineage and side-by-side comparison as the job pages show them. Pure (tested in node):
 * who a job came from and what came from it, and runs as columns with their final metrics.
 */
import type { LineageJob, MethodOutput, RunComparison } from '../../../engine/api/contract';
import { formatDuration } from '../jobs/duration';
import { routeHref } from '../routes';

export type Lineage = MethodOutput<'jobs.lineage'>;

export interface LineageRow {
  job: LineageJob;
  /** "root", "parent", "this job", "promoted to kfd/default", "re-run". */
  relation: string;
  current: boolean;
}

/** How a child was made, as the engine recorded it when the child was created. */
export function relationOf(child: Pick<LineageJob, 'relation' | 'target'>): string {
  if (child.relation === 'rerun') return 're-run';
  if (child.relation === 'promote') return `promoted to ${child.target}`;
  return 'derived';
}

/** Ancestors root first, then this job, then what was made from it (newest last). */
export function lineageRows(l: Lineage): LineageRow[] {
  const n = l.ancestors.length;
  const rows: LineageRow[] = l.ancestors.map((job, i) => ({
    job,
    relation: i === n - 1 ? 'parent' : i === 0 ? 'root' : 'ancestor',
    current: false,
  }));
  rows.push({ job: l.job, relation: 'this job', current: true });
  for (const child of [...l.children].sort((a, b) => a.createdAt - b.createdAt)) {
    rows.push({ job: child, relation: relationOf(child), current: false });
  }
  return rows;
}

/** A job has lineage worth a section when anything came before or after it. */
export function hasLineage(l: Lineage | null): boolean {
  return l !== null && (l.ancestors.length > 0 || l.children.length > 0);
}

/** `#/jobs/compare/<a>/<b>…` */
export function compareHref(ids: readonly string[]): string {
  return routeHref('jobs', 'compare', ...ids);
}

export interface MetricRow {
  name: string;
  /** One per run (null: that run never reported it). */
  values: (number | null)[];
  steps: (number | null)[];
  /** Each run against the first, as "+0.0123 (+4.5%)"; null for the first run or a missing value. */
  deltas: (string | null)[];
}

export interface CompareTable {
  runs: RunComparison[];
  durations: string[];
  metrics: MetricRow[];
}

/** 4 significant digits, no exponent for ordinary magnitudes. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

export function formatDelta(value: number, base: number): string {
  const d = value - base;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const pct = base !== 0 ? ` (${sign}${formatMetric(Math.abs((d / base) * 100))}%)` : '';
  return `${sign}${formatMetric(Math.abs(d))}${pct}`;
}

/** Metrics in the order the first run reports them, then any only later runs have. */
export function compareTable(runs: readonly RunComparison[]): CompareTable {
  const names: string[] = [];
  for (const run of runs) for (const m of run.finalMetrics) if (!names.includes(m.name)) names.push(m.name);
  const metrics = names.map((name) => {
    const found = runs.map((r) => r.finalMetrics.find((m) => m.name === name) ?? null);
    const base = found[0]?.value ?? null;
    return {
      name,
      values: found.map((m) => m?.value ?? null),
      steps: found.map((m) => m?.step ?? null),
      deltas: found.map((m, i) => (i === 0 || m === null || base === null ? null : formatDelta(m.value, base))),
    };
  });
  return { runs: [...runs], durations: runs.map((r) => (r.durationMs === null ? '—' : formatDuration(r.durationMs))), metrics };
}

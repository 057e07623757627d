/**
 * What the Experiments page shows, as pure functions (tested in node): status tones, the trials
 * table's sort, durations, the objective over time and the parallel-coordinates layout.
 */
import type { ExperimentDetail, ExperimentStatus, TrialStatus, TrialSummary } from '../../../engine/api/contract';

export type Tone = 'created' | 'running' | 'complete' | 'failed' | 'cancelled';

export function experimentTone(status: ExperimentStatus, reason = ''): Tone {
  if (status === 'Succeeded') return 'complete';
  if (status === 'Failed') return reason === 'ExperimentKilled' ? 'cancelled' : 'failed';
  return status === 'Running' ? 'running' : 'created';
}

export function trialTone(status: TrialStatus): Tone {
  switch (status) {
    case 'Succeeded':
      return 'complete';
    case 'Running':
      return 'running';
    case 'Created':
      return 'created';
    case 'Failed':
    case 'MetricsUnavailable':
      return 'failed';
    default:
      return 'cancelled'; // Killed, EarlyStopped
  }
}

/** ms a trial ran (so far, while it runs); null before it started. */
export function trialDuration(t: TrialSummary, now: number): number | null {
  if (t.startedAt === null) return null;
  return (t.finishedAt ?? now) - t.startedAt;
}

export type SortKey = { kind: 'trial' } | { kind: 'status' } | { kind: 'objective' } | { kind: 'duration' } | { kind: 'param'; name: string };
export interface Sort {
  key: SortKey;
  descending: boolean;
}

export function sortKeyId(k: SortKey): string {
  return k.kind === 'param' ? `param:${k.name}` : k.kind;
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1; // empty cells last, whatever the direction
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return String(a).localeCompare(String(b));
}

export function sortTrials(trials: readonly TrialSummary[], sort: Sort, now: number): TrialSummary[] {
  const value = (t: TrialSummary): string | number | null => {
    switch (sort.key.kind) {
      case 'trial':
        return t.seq;
      case 'status':
        return t.status;
      case 'objective':
        return t.objective;
      case 'duration':
        return trialDuration(t, now);
      case 'param':
        return t.parameters[sort.key.name] ?? null;
    }
  };
  return [...trials].sort((x, y) => {
    const a = value(x);
    const b = value(y);
    if (a === null || b === null) return compareValues(a, b) || x.seq - y.seq;
    const c = compareValues(a, b);
    return (sort.descending ? -c : c) || x.seq - y.seq;
  });
}

/** Objective per trial over time: x = seconds from the experiment's start to the trial's end. */
export function objectiveOverTime(e: Pick<ExperimentDetail, 'createdAt' | 'objective' | 'trials'>): { x: number[]; y: number[]; best: number[]; names: string[] } {
  const done = e.trials.filter((t) => t.finishedAt !== null && t.objective !== null).sort((a, b) => a.finishedAt! - b.finishedAt!);
  const x: number[] = [];
  const y: number[] = [];
  const best: number[] = [];
  const names: string[] = [];
  let b: number | null = null;
  for (const t of done) {
    x.push((t.finishedAt! - e.createdAt) / 1000);
    y.push(t.objective!);
    b = b === null ? t.objective! : e.objective.type === 'minimize' ? Math.min(b, t.objective!) : Math.max(b, t.objective!);
    best.push(b);
    names.push(t.name);
  }
  return { x, y, best, names };
}

export interface PcAxis {
  name: string;
  /** Ticks along the axis, 0 (bottom) … 1 (top). */
  ticks: { at: number; label: string }[];
  position(value: string | number): number | null;
}

export interface PcLine {
  trial: string;
  /** One 0…1 height per axis (null where the value is missing). */
  points: (number | null)[];
  /** 0 (worst) … 1 (best) objective, for colour. */
  quality: number;
  best: boolean;
}

function fmt(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function numericAxis(name: string, min: number, max: number, log: boolean): PcAxis {
  const f = (v: number) => (log ? Math.log10(v) : v);
  const lo = f(min);
  const hi = f(max);
  const span = hi - lo || 1;
  const position = (value: string | number) => {
    const v = Number(value);
    if (!Number.isFinite(v) || (log && v <= 0)) return null;
    return Math.min(1, Math.max(0, (f(v) - lo) / span));
  };
  const ticks = [0, 0.5, 1].map((at) => ({ at, label: fmt(log ? 10 ** (lo + at * span) : lo + at * span) }));
  return { name, ticks, position };
}

/** Axes for each parameter (numeric, log or categorical) and the objective last; one line per trial with an objective. */
export function parallelCoordinates(e: Pick<ExperimentDetail, 'parameters' | 'trials' | 'objective' | 'bestTrial'>): { axes: PcAxis[]; lines: PcLine[] } {
  const withObjective = e.trials.filter((t) => t.objective !== null);
  const axes: PcAxis[] = e.parameters.map((p) => {
    if (p.type === 'categorical' || p.type === 'discrete') {
      const list = p.list ?? [];
      const at = (i: number) => (list.length <= 1 ? 0.5 : i / (list.length - 1));
      return { name: p.name, ticks: list.map((label, i) => ({ at: at(i), label })), position: (v) => (list.includes(String(v)) ? at(list.indexOf(String(v))) : null) };
    }
    return numericAxis(p.name, p.min ?? 0, p.max ?? 1, p.log);
  });
  const objectives = withObjective.map((t) => t.objective!);
  const lo = objectives.length ? Math.min(...objectives) : 0;
  const hi = objectives.length ? Math.max(...objectives) : 1;
  const objectiveAxis = numericAxis(e.objective.metric, lo, hi === lo ? lo + 1 : hi, false);
  axes.push(objectiveAxis);
  const lines = withObjective.map((t) => {
    const q = hi === lo ? 1 : (t.objective! - lo) / (hi - lo);
    return {
      trial: t.name,
      points: [...e.parameters.map((p, i) => axes[i]!.position(t.parameters[p.name] ?? '')), objectiveAxis.position(t.objective!)],
      quality: e.objective.type === 'minimize' ? 1 - q : q,
      best: e.bestTrial?.name === t.name,
    };
  });
  return { axes, lines };
}

export function formatObjective(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export function formatParam(v: string | undefined): string {
  if (v === undefined) return '—';
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || Number.isInteger(n)) return v;
  return formatObjective(n);
}

/**
 * The search space as the suggestion algorithms see it: each Katib parameter with numbers parsed,
 * and how a chosen value is written back (Katib's parameter assignments are strings).
 */

export type ParamType = 'double' | 'int' | 'discrete' | 'categorical';

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** double / int: the bounds (inclusive). */
  min?: number;
  max?: number;
  /** double / int: grid spacing (int defaults to 1 for grid). */
  step?: number;
  /** discrete (numbers as written) / categorical: the values. */
  list?: string[];
  /** logUniform: sampled uniformly in log space. */
  log: boolean;
}

/** One trial's parameter values, by name, as Katib writes them (strings). */
export type Assignment = Record<string, string>;

/** A number as Katib writes it: integers plainly, doubles with at most 12 significant digits. */
export function formatNumber(value: number, type: ParamType): string {
  if (type === 'int') return String(Math.round(value));
  const short = Number(value.toPrecision(12));
  return String(short);
}

/** Clamps and snaps a number into a parameter's space (int rounding, step grid from min). */
export function fitNumber(p: ParamSpec, value: number): number {
  const min = p.min ?? value;
  const max = p.max ?? value;
  let v = Math.min(max, Math.max(min, value));
  if (p.step && p.step > 0) {
    v = min + Math.round((v - min) / p.step) * p.step;
    if (v > max + 1e-12) v -= p.step;
  }
  if (p.type === 'int') v = Math.round(v);
  return Math.min(max, Math.max(min, v));
}

/** Whether `value` (a string from a suggestion) lies in the parameter's space. */
export function inSpace(p: ParamSpec, value: string): boolean {
  if (p.type === 'categorical' || p.type === 'discrete') return (p.list ?? []).includes(value);
  const v = Number(value);
  if (!Number.isFinite(v) || v < (p.min ?? -Infinity) - 1e-9 || v > (p.max ?? Infinity) + 1e-9) return false;
  if (p.type === 'int' && !Number.isInteger(v)) return false;
  if (p.step) {
    const k = (v - (p.min ?? 0)) / p.step;
    if (Math.abs(k - Math.round(k)) > 1e-6) return false;
  }
  return true;
}

/** The grid values of one parameter (Katib's grid: min, min+step, … ≤ max; lists as given). */
export function gridValues(p: ParamSpec): string[] {
  if (p.type === 'categorical' || p.type === 'discrete') return [...(p.list ?? [])];
  const step = p.step ?? (p.type === 'int' ? 1 : undefined);
  if (!step || p.min === undefined || p.max === undefined) return [];
  const out: string[] = [];
  const n = Math.floor((p.max - p.min) / step + 1e-9);
  for (let i = 0; i <= n; i++) out.push(formatNumber(p.min + i * step, p.type));
  return out;
}

/** How many points the grid has (Infinity when a double has no step). */
export function gridSize(space: readonly ParamSpec[]): number {
  return space.reduce((n, p) => n * (p.type === 'double' && !p.step ? Infinity : gridValues(p).length), 1);
}

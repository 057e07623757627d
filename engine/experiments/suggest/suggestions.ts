/**
 * One entry point for every algorithm: `random` and `grid` in TypeScript, the others through the
 * Python suggestion process. Suggestion number i of an experiment depends only on its seed
 * (random_state, or the seed drawn when the experiment was created), i and the finished trials,
 * so the same random_state gives the same suggestions. Every value is checked into its space.
 */
import type { EnvProgress } from '../../jobs/python-env/index.js';
import type { ExperimentPlan } from '../parse-experiment.js';
import { fitNumber, formatNumber, type Assignment, type ParamSpec } from '../search-space.js';
import { gridSuggestions } from './grid-search.js';
import type { PythonSuggester } from './python-suggester.js';
import { randomSuggestions } from './random-search.js';

export interface SuggestInput {
  plan: ExperimentPlan;
  /** random_state when given, else the experiment's stored seed. */
  seed: number;
  /** Trials made so far, in creation order (their number is the next suggestion's index). */
  trials: { assignment: Assignment; objective: number | null }[];
  count: number;
  signal?: AbortSignal;
  onProgress?: (p: EnvProgress) => void;
}

export interface SuggestOutput {
  assignments: Assignment[];
  /** No suggestion is left (grid used up): the experiment ends with ExperimentSuggestionEndReached. */
  exhausted: boolean;
}

export const PYTHON_ALGORITHMS = new Set(['tpe', 'multivariate-tpe', 'cmaes', 'sobol', 'bayesianoptimization']);

/** Snaps a value from any algorithm into its parameter's space (bounds, step, int, list). */
export function intoSpace(p: ParamSpec, value: string): string {
  if (p.type === 'categorical' || p.type === 'discrete') {
    const list = p.list ?? [];
    if (list.includes(value)) return value;
    const n = Number(value);
    const near = list.find((v) => Number(v) === n);
    if (near !== undefined) return near;
    throw new Error(`the suggestion "${value}" for ${p.name} is not one of ${list.join(', ')}`);
  }
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`the suggestion "${value}" for ${p.name} is not a number`);
  return formatNumber(fitNumber(p, n), p.type);
}

export async function suggest(input: SuggestInput, python: PythonSuggester | null): Promise<SuggestOutput> {
  const { plan, count } = input;
  const first = input.trials.length;
  if (count <= 0) return { assignments: [], exhausted: false };
  let assignments: Assignment[];
  let exhausted = false;
  const name = plan.algorithm.name;
  if (name === 'grid') {
    ({ assignments, exhausted } = gridSuggestions(plan.parameters, first, count));
  } else if (name === 'random') {
    assignments = randomSuggestions(plan.parameters, input.seed, first, count);
  } else if (PYTHON_ALGORITHMS.has(name)) {
    if (!python) throw new Error(`The ${name} algorithm needs the Python suggestion process, which is not available here.`);
    assignments = await python.suggest(
      {
        algorithm: name,
        settings: { ...plan.algorithm.settings, random_state: String(input.seed) },
        objectiveType: plan.objective.type,
        parameters: plan.parameters,
        trials: input.trials.filter((t) => t.objective !== null),
        count,
        seedOffset: first,
      },
      { ...(input.signal ? { signal: input.signal } : {}), ...(input.onProgress ? { onProgress: input.onProgress } : {}) },
    );
  } else {
    throw new Error(`The algorithm "${name}" does not run locally.`);
  }
  return { assignments: assignments.map((a) => Object.fromEntries(plan.parameters.map((p) => [p.name, intoSpace(p, a[p.name] ?? '')]))), exhausted };
}

/** The seed of an experiment: random_state when set, else a fresh one (stored with the experiment). */
export function seedOf(plan: ExperimentPlan, fresh: () => number): number {
  const s = plan.algorithm.settings.random_state;
  return s !== undefined ? Number(s) : fresh();
}

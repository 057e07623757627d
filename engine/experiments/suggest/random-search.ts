/**
 * Katib's `random`, without Python: each parameter drawn uniformly (log-uniformly for
 * logUniform) within min/max and snapped to its step; lists picked with equal chance. Suggestion
 * number i depends only on (random_state, i), so the same seed gives the same sweep whatever
 * order trials finish in, and a resumed experiment goes on where it stopped.
 */
import { fitNumber, formatNumber, type Assignment, type ParamSpec } from '../search-space.js';
import { rngFor, type Rng } from './seeded-random.js';

export function sampleParam(p: ParamSpec, rng: Rng): string {
  if (p.type === 'categorical' || p.type === 'discrete') {
    const list = p.list ?? [];
    return list[Math.min(list.length - 1, Math.floor(rng() * list.length))]!;
  }
  const min = p.min!;
  const max = p.max!;
  let v: number;
  if (p.log) v = Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)));
  else if (p.type === 'int' && !p.step) v = min + Math.floor(rng() * (max - min + 1));
  else v = min + rng() * (max - min);
  return formatNumber(fitNumber(p, v), p.type);
}

export function randomSuggestions(space: readonly ParamSpec[], seed: number, firstIndex: number, count: number): Assignment[] {
  const out: Assignment[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, firstIndex + i);
    out.push(Object.fromEntries(space.map((p) => [p.name, sampleParam(p, rng)])));
  }
  return out;
}

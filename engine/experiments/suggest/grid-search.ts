/**
 * Katib's `grid`, without Python: every combination of the parameters' grid values (doubles need
 * a step; ints step 1 unless given; lists as written), the last parameter varying fastest.
 * Suggestion number i is the i-th point, so the sweep is the same on every run; past the last
 * point the search space is used up (Katib's ExperimentSuggestionEndReached).
 */
import { gridValues, type Assignment, type ParamSpec } from '../search-space.js';

export function gridSuggestions(space: readonly ParamSpec[], firstIndex: number, count: number): { assignments: Assignment[]; exhausted: boolean } {
  const axes = space.map((p) => gridValues(p));
  const total = axes.reduce((n, a) => n * a.length, 1);
  const out: Assignment[] = [];
  for (let i = firstIndex; i < Math.min(total, firstIndex + count); i++) {
    let rest = i;
    const a: Assignment = {};
    for (let d = space.length - 1; d >= 0; d--) {
      const axis = axes[d]!;
      a[space[d]!.name] = axis[rest % axis.length]!;
      rest = Math.floor(rest / axis.length);
    }
    out.push(Object.fromEntries(space.map((p) => [p.name, a[p.name]!])));
  }
  return { assignments: out, exhausted: firstIndex + count >= total };
}

import { describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentPlan } from '../parse-experiment.js';
import { gridSize, inSpace } from '../search-space.js';
import { experimentYaml } from '../test-support/experiment-yaml.js';
import { suggest } from './suggestions.js';

function plan(o: Parameters<typeof experimentYaml>[0] = {}): ExperimentPlan {
  const r = parseExperiment(experimentYaml(o), 'experiment.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

const GRID_PARAMS = `    - name: lr
      parameterType: double
      feasibleSpace: {min: "0.001", max: "0.1", step: "0.033"}
    - name: alpha
      parameterType: discrete
      feasibleSpace: {list: ["0.25", "0.5"]}
    - name: layers
      parameterType: int
      feasibleSpace: {min: "1", max: "3"}
    - name: optimizer
      parameterType: categorical
      feasibleSpace: {list: ["sgd", "adam"]}`;

describe('random (TypeScript)', () => {
  it('the same random_state gives the same suggestions, however they are asked for', async () => {
    const p = plan();
    const all = await suggest({ plan: p, seed: 7, trials: [], count: 6 }, null);
    const first = await suggest({ plan: p, seed: 7, trials: [], count: 2 }, null);
    const rest = await suggest({ plan: p, seed: 7, trials: first.assignments.map((a) => ({ assignment: a, objective: 0.5 })), count: 4 }, null);
    expect([...first.assignments, ...rest.assignments]).toEqual(all.assignments);
    const other = await suggest({ plan: p, seed: 8, trials: [], count: 6 }, null);
    expect(other.assignments).not.toEqual(all.assignments);
  });

  it('stays in bounds: steps, ints, log scale, lists', async () => {
    const p = plan();
    const { assignments } = await suggest({ plan: p, seed: 1, trials: [], count: 400 }, null);
    for (const a of assignments) for (const ps of p.parameters) expect(inSpace(ps, a[ps.name]!), `${ps.name}=${a[ps.name]}`).toBe(true);
    expect(new Set(assignments.map((a) => a.alpha))).toEqual(new Set(['0', '0.25', '0.5', '0.75', '1']));
    expect(new Set(assignments.map((a) => a.layers))).toEqual(new Set(['1', '2', '3', '4']));
    expect(new Set(assignments.map((a) => a.optimizer))).toEqual(new Set(['sgd', 'adam']));
    // log-uniform over [0.001, 0.1]: about half the draws fall below 0.01 (uniform would give ~9%)
    const below = assignments.filter((a) => Number(a.lr) < 0.01).length / assignments.length;
    expect(below).toBeGreaterThan(0.35);
    expect(below).toBeLessThan(0.65);
  });
});

describe('grid (TypeScript)', () => {
  it('walks every combination once, in order, then says the space is used up', async () => {
    const p = plan({ algorithm: 'grid', settings: '', parameters: GRID_PARAMS });
    expect(gridSize(p.parameters)).toBe(4 * 2 * 3 * 2);
    const { assignments, exhausted } = await suggest({ plan: p, seed: 0, trials: [], count: 100 }, null);
    expect(assignments).toHaveLength(48);
    expect(exhausted).toBe(true);
    expect(new Set(assignments.map((a) => JSON.stringify(a))).size).toBe(48);
    expect(assignments[0]).toEqual({ lr: '0.001', alpha: '0.25', layers: '1', optimizer: 'sgd' });
    expect(assignments[1]).toEqual({ lr: '0.001', alpha: '0.25', layers: '1', optimizer: 'adam' });
    expect(new Set(assignments.map((a) => a.lr))).toEqual(new Set(['0.001', '0.034', '0.067', '0.1']));
    const again = await suggest({ plan: p, seed: 99, trials: assignments.slice(0, 10).map((a) => ({ assignment: a, objective: 1 })), count: 3 }, null);
    expect(again.assignments).toEqual(assignments.slice(10, 13));
  });
});

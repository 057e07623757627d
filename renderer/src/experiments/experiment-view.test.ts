import { describe, expect, it } from 'vitest';
import type { ExperimentDetail, TrialSummary } from '../../../engine/api/contract';
import { objectiveOverTime, parallelCoordinates, sortTrials, trialTone } from './experiment-view';

const trial = (seq: number, objective: number | null, parameters: Record<string, string>, finishedAt: number | null = 1000 + seq * 100): TrialSummary => ({
  name: `e-${seq}`, seq, status: objective === null ? 'Running' : 'Succeeded', reason: '', parameters, objective, metrics: [], jobId: `j${seq}`, createdAt: 0, startedAt: 10 * seq, finishedAt,
});

const trials = [trial(1, 0.5, { lr: '0.01', opt: 'sgd' }), trial(2, 0.9, { lr: '0.1', opt: 'adam' }), trial(3, null, { lr: '0.001', opt: 'sgd' }, null), trial(4, 0.7, { lr: '0.05', opt: 'adam' })];

describe('trials table sort', () => {
  it('sorts by objective either way, trials without one last', () => {
    expect(sortTrials(trials, { key: { kind: 'objective' }, descending: true }, 0).map((t) => t.seq)).toEqual([2, 4, 1, 3]);
    expect(sortTrials(trials, { key: { kind: 'objective' }, descending: false }, 0).map((t) => t.seq)).toEqual([1, 4, 2, 3]);
  });
  it('sorts parameters as numbers when they are numbers, as text otherwise', () => {
    expect(sortTrials(trials, { key: { kind: 'param', name: 'lr' }, descending: false }, 0).map((t) => t.seq)).toEqual([3, 1, 4, 2]);
    expect(sortTrials(trials, { key: { kind: 'param', name: 'opt' }, descending: false }, 0).map((t) => t.seq)).toEqual([2, 4, 1, 3]);
  });
  it('gives EarlyStopped and Killed their own tone, not failure', () => {
    expect(trialTone('EarlyStopped')).toBe('cancelled');
    expect(trialTone('MetricsUnavailable')).toBe('failed');
  });
});

const detail = {
  createdAt: 1000,
  objective: { type: 'maximize' as const, metric: 'accuracy', goal: null },
  parameters: [{ name: 'lr', type: 'double' as const, min: 0.001, max: 0.1, log: true }, { name: 'opt', type: 'categorical' as const, list: ['sgd', 'adam'], log: false }],
  trials,
  bestTrial: { name: 'e-2', parameters: {}, objective: 0.9 },
} satisfies Partial<ExperimentDetail>;

describe('charts', () => {
  it('objective over time with the best so far', () => {
    const s = objectiveOverTime(detail);
    expect(s.names).toEqual(['e-1', 'e-2', 'e-4']);
    expect(s.y).toEqual([0.5, 0.9, 0.7]);
    expect(s.best).toEqual([0.5, 0.9, 0.9]);
    expect(s.x[0]).toBeCloseTo(0.1);
  });
  it('parallel coordinates: log axes, categorical axes, the objective last, the best line marked', () => {
    const pc = parallelCoordinates(detail);
    expect(pc.axes.map((a) => a.name)).toEqual(['lr', 'opt', 'accuracy']);
    expect(pc.axes[0]!.position('0.01')).toBeCloseTo(0.5); // log10 midway between 1e-3 and 1e-1
    expect(pc.axes[1]!.position('adam')).toBe(1);
    expect(pc.lines).toHaveLength(3);
    const best = pc.lines.find((l) => l.best)!;
    expect(best.trial).toBe('e-2');
    expect(best.quality).toBe(1);
    expect(best.points[2]).toBe(1);
  });
});

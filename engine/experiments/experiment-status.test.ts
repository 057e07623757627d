import { describe, expect, it } from 'vitest';
import type { TrialStatus } from '../api/schemas/experiments.js';
import { bestTrial, coreSlots, decideEnding, trialsToStart, type TrialState } from './experiment-status.js';

const plan = (o: Partial<{ goal: number | null; maxTrialCount: number | null; maxFailedTrialCount: number | null; type: 'minimize' | 'maximize' }> = {}) => ({
  objective: { type: o.type ?? 'maximize', goal: o.goal ?? null, metric: 'accuracy', additional: [], strategies: {} },
  maxTrialCount: o.maxTrialCount === undefined ? 4 : o.maxTrialCount,
  maxFailedTrialCount: o.maxFailedTrialCount === undefined ? null : o.maxFailedTrialCount,
  parallelTrialCount: 3,
});
let seq = 0;
const trial = (status: TrialStatus, objective: number | null = null, active = false): TrialState => ({ name: `t${++seq}`, seq, status, objective, finishedAt: active ? null : 1 });

describe("Katib's experiment ending rules", () => {
  it('goal reached by the best trial wins over everything else', () => {
    expect(decideEnding(plan({ goal: 0.9 }), [trial('Succeeded', 0.95), trial('Running', null, true)], false)?.reason).toBe('ExperimentGoalReached');
    expect(decideEnding(plan({ goal: 0.1, type: 'minimize' }), [trial('Succeeded', 0.2)], false)).toBeNull();
  });
  it('failed (and metrics-unavailable) trials reaching maxFailedTrialCount fail it', () => {
    const e = decideEnding(plan({ maxFailedTrialCount: 2 }), [trial('Failed'), trial('MetricsUnavailable'), trial('Running', null, true)], false);
    expect(e).toMatchObject({ status: 'Failed', reason: 'ExperimentFailed' });
    expect(decideEnding(plan({ maxFailedTrialCount: 2 }), [trial('Failed')], false)).toBeNull();
  });
  it('completed trials reaching maxTrialCount succeed it; a used-up search space too once nothing runs', () => {
    expect(decideEnding(plan(), [trial('Succeeded', 1), trial('EarlyStopped', 0.2), trial('Failed'), trial('Killed')], false)?.reason).toBe('ExperimentMaxTrialsReached');
    expect(decideEnding(plan({ maxTrialCount: null }), [trial('Succeeded', 1), trial('Running', null, true)], true)).toBeNull();
    expect(decideEnding(plan({ maxTrialCount: null }), [trial('Succeeded', 1)], true)?.reason).toBe('ExperimentSuggestionEndReached');
  });
  it('the best trial follows the objective type', () => {
    const ts = [trial('Succeeded', 0.3), trial('Succeeded', 0.9), trial('EarlyStopped', 0.1)];
    expect(bestTrial(plan(), ts)?.objective).toBe(0.9);
    expect(bestTrial(plan({ type: 'minimize' }), ts)?.objective).toBe(0.1);
  });
  it('starts trials up to parallelTrialCount, maxTrialCount and the free cores', () => {
    expect(trialsToStart(plan({ maxTrialCount: 10 }), [], 8)).toBe(3);
    expect(trialsToStart(plan({ maxTrialCount: 2 }), [], 8)).toBe(2);
    expect(trialsToStart(plan({ maxTrialCount: 10 }), [trial('Running', null, true)], 2)).toBe(1);
    expect(coreSlots(2, 0, 1)).toBe(2);
    expect(coreSlots(2, 0, 0.5)).toBe(4);
    expect(coreSlots(2, 4, 1)).toBe(1);
  });
});

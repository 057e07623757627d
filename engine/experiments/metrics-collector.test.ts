import { describe, expect, it } from 'vitest';
import { KATIB_DEFAULT_METRICS_FORMAT, MetricsCollector } from './metrics-collector.js';
import { median, medianStopRule, shouldStop } from './medianstop.js';

describe("Katib's StdOut collector", () => {
  it('reads name=value pairs of the experiment metrics only, with min, max and latest', () => {
    const c = new MetricsCollector([KATIB_DEFAULT_METRICS_FORMAT], ['accuracy', 'loss']);
    c.add('epoch 1: loss=0.9 accuracy=0.5 lr=0.1');
    c.add('loss = 0.4, accuracy=0.8');
    c.add('accuracy=0.7 note=unrelated');
    c.add('accuracy=1e-1');
    expect(c.observations.get('accuracy')).toMatchObject({ min: 0.1, max: 0.8, latest: 0.1, values: [0.5, 0.8, 0.7, 0.1] });
    expect(c.observations.get('loss')).toMatchObject({ min: 0.4, max: 0.9, latest: 0.4 });
    expect(c.observations.has('lr')).toBe(false);
  });

  it('uses custom metricsFormat regexes (Go named groups too)', () => {
    const c = new MetricsCollector(['(?P<name>\\w+):\\s*(?P<value>[-+]?\\d*\\.?\\d+)'], ['accuracy']);
    c.add('accuracy: 0.93 (epoch 3)');
    c.add('accuracy=0.99'); // not this format
    expect(c.observations.get('accuracy')?.values).toEqual([0.93]);
  });
});

describe('medianstop', () => {
  it('needs min_trials_required succeeded trials, then stops a trial worse than their median after start_step values', () => {
    const settings = { minTrialsRequired: 3, startStep: 2 };
    expect(medianStopRule([[0.5], [0.6]], settings, 'maximize')).toBeNull();
    const rule = medianStopRule([[0.4, 0.6], [0.8], [0.9, 0.7]], settings, 'maximize')!; // means 0.5, 0.8, 0.8
    expect(rule.median).toBe(0.8);
    expect(shouldStop(rule, [0.1])).toBe(false); // before start_step
    expect(shouldStop(rule, [0.1, 0.9])).toBe(false);
    expect(shouldStop(rule, [0.1, 0.9, 0.5])).toBe(true);
    const min = medianStopRule([[1], [2], [3]], settings, 'minimize')!;
    expect(shouldStop(min, [5, 2.5])).toBe(true);
    expect(shouldStop(min, [5, 1.5])).toBe(false);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});

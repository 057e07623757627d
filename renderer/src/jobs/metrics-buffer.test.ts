import { describe, expect, it } from 'vitest';
import { MetricsBuffer, lowerBound, thin } from './metrics-buffer';

describe('MetricsBuffer', () => {
  it('appends live points per metric name and bumps only the changed series', () => {
    const b = new MetricsBuffer();
    b.append([
      { name: 'loss', step: 10, value: 0.5 },
      { name: 'acc', step: 10, value: 0.8 },
      { name: 'loss', step: 20, value: 0.4 },
    ]);
    expect(b.names()).toEqual(['loss', 'acc']);
    expect(b.get('loss')).toMatchObject({ steps: [10, 20], values: [0.5, 0.4] });
    const accVersion = b.get('acc')!.version;
    b.append([{ name: 'loss', step: 30, value: 0.3 }]);
    expect(b.get('acc')!.version).toBe(accVersion);
    expect(b.get('loss')!.steps).toEqual([10, 20, 30]);
  });

  it('merges the API answer with points that arrived first, by step, one value per step', () => {
    const b = new MetricsBuffer();
    b.append([{ name: 'loss', step: 40, value: 0.2 }]); // live, before the answer
    b.merge([{ name: 'loss', points: [[10, 0.5], [20, 0.4], [30, 0.3], [40, 0.2]] }]);
    b.append([{ name: 'loss', step: 30, value: 0.31 }]); // the same step again: newer wins
    expect(b.get('loss')).toMatchObject({ steps: [10, 20, 30, 40], values: [0.5, 0.4, 0.31, 0.2] });
  });

  it('ignores points that cannot be drawn', () => {
    const b = new MetricsBuffer();
    const version = b.version;
    b.append([{ name: 'loss', step: Number.NaN, value: 1 }]);
    b.append([]);
    b.append([{ name: 'x', step: 1, value: Number.NaN }]);
    expect(b.version).toBe(version);
    expect(b.names()).toEqual([]);
  });

  it('stays bounded on a long run, keeping the newest points exact', () => {
    const b = new MetricsBuffer(1000);
    for (let step = 0; step < 10_000; step += 10) {
      b.append(Array.from({ length: 10 }, (_, i) => ({ name: 'loss', step: step + i, value: 1 / (step + i + 1) })));
    }
    const s = b.get('loss')!;
    expect(s.steps.length).toBeLessThanOrEqual(1000);
    expect(s.steps[0]).toBe(0);
    expect(s.steps.at(-1)).toBe(9999);
    expect(s.steps.slice(-250)).toEqual(Array.from({ length: 250 }, (_, i) => 9750 + i));
    expect([...s.steps].sort((x, y) => x - y)).toEqual(s.steps);
  });
});

describe('helpers', () => {
  it('finds insertion points', () => {
    expect(lowerBound([1, 3, 5], 0)).toBe(0);
    expect(lowerBound([1, 3, 5], 3)).toBe(1);
    expect(lowerBound([1, 3, 5], 4)).toBe(2);
    expect(lowerBound([1, 3, 5], 9)).toBe(3);
  });
  it('thins older points', () => {
    const s = { steps: Array.from({ length: 12 }, (_, i) => i), values: Array.from({ length: 12 }, (_, i) => i) };
    thin(s, 8);
    expect(s.steps).toEqual([0, 2, 4, 6, 8, 10, 11]);
  });
});

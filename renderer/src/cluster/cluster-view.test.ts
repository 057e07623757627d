import { describe, expect, it } from 'vitest';
import type { ClusterOperation } from '../../../engine/api/contract';
import { nextOperation, percent, progressText } from './cluster-view';

const op = (id: string, startedAt: number, current = 1): ClusterOperation => ({
  id,
  kind: 'create',
  cluster: 'kfd',
  status: 'running',
  steps: [
    { id: 'a', title: 'A', status: 'done', detail: '', logs: [], sub: null, startedAt: 1, finishedAt: 2 },
    { id: 'b', title: 'B', status: 'running', detail: 'x', logs: [], sub: null, startedAt: 2, finishedAt: null },
  ],
  progress: { current, max: 2, description: 'B: x' },
  error: null,
  result: null,
  startedAt,
  finishedAt: null,
});

describe('cluster view', () => {
  it('shows progress as a percentage and a line', () => {
    expect(percent(op('1', 1, 1.5))).toBe(75);
    expect(progressText(op('1', 1))).toBe('1 of 2 steps · B: x');
  });
  it('keeps the newest operation', () => {
    const a = op('a', 10);
    expect(nextOperation(null, a)).toBe(a);
    expect(nextOperation(a, op('old', 5))).toBe(a);
    expect(nextOperation(a, op('new', 20)).id).toBe('new');
  });
});

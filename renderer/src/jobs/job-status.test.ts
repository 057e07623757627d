import { describe, expect, it } from 'vitest';
import { canCancel, jobTimeline, rankExit, rankNumbers, rankTone, statusTone } from './job-status';

describe('status presentation', () => {
  it('has a tone per status and cancels only unfinished jobs', () => {
    expect(statusTone('Failed')).toBe('failed');
    expect(statusTone('Running')).toBe('running');
    expect(canCancel('Created')).toBe(true);
    expect(canCancel('Running')).toBe(true);
    expect(canCancel('Complete')).toBe(false);
    expect(canCancel('Cancelled')).toBe(false);
    expect(rankTone('Succeeded')).toBe('complete');
  });
});

describe('jobTimeline', () => {
  it('shows a created job waiting to run', () => {
    expect(jobTimeline({ status: 'Created', createdAt: 1, startedAt: null, finishedAt: null }).map((s) => [s.label, s.state, s.at])).toEqual([
      ['Created', 'current', 1],
      ['Running', 'pending', null],
      ['Finished', 'pending', null],
    ]);
  });
  it('shows a running job', () => {
    const steps = jobTimeline({ status: 'Running', createdAt: 1, startedAt: 2, finishedAt: null });
    expect(steps.map((s) => s.state)).toEqual(['done', 'current', 'pending']);
    expect(steps[1]!.tone).toBe('running');
  });
  it('ends in the final status with its time', () => {
    const steps = jobTimeline({ status: 'Failed', createdAt: 1, startedAt: 2, finishedAt: 3 });
    expect(steps.map((s) => [s.label, s.state, s.tone, s.at])).toEqual([
      ['Created', 'done', 'neutral', 1],
      ['Running', 'done', 'neutral', 2],
      ['Failed', 'done', 'failed', 3],
    ]);
  });
  it('marks Running as skipped for a job cancelled before it started', () => {
    const steps = jobTimeline({ status: 'Cancelled', createdAt: 1, startedAt: null, finishedAt: 5 });
    expect(steps.map((s) => s.state)).toEqual(['done', 'skipped', 'done']);
  });
});

describe('ranks', () => {
  it('describes how a rank ended', () => {
    expect(rankExit({ exitCode: 1, signal: null })).toBe('exit 1');
    expect(rankExit({ exitCode: null, signal: 'SIGKILL' })).toBe('SIGKILL');
    expect(rankExit({ exitCode: 137, signal: 'SIGKILL' })).toBe('exit 137 (SIGKILL)');
    expect(rankExit({ exitCode: null, signal: null })).toBe('');
  });
  it('lists rank numbers from the table, else from the shape', () => {
    const rank = (globalRank: number) => ({ globalRank, nodeRank: 0, localRank: globalRank, pid: null, status: 'Running' as const, exitCode: null, signal: null });
    expect(rankNumbers({ numNodes: 9, numProcPerNode: 9, ranks: [rank(1), rank(0), rank(1)] })).toEqual([0, 1]);
    expect(rankNumbers({ numNodes: 2, numProcPerNode: 2 })).toEqual([0, 1, 2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExitRecord, StopRecord } from './job-files.js';
import type { RankState } from './outcome.js';
import { firstFailure, outcomeOf, rankInfo } from './outcome.js';

const exit = (exitCode: number, finishedAt: number, more: Partial<ExitRecord> = {}): ExitRecord => ({ exitCode, signal: null, startedAt: 0, finishedAt, pid: 100, phase: 'main', ...more });
const rank = (globalRank: number, e: ExitRecord | null, lost: string | null = null): RankState => ({ globalRank, nodeRank: 0, localRank: globalRank, wrapperPid: 1, pid: 100 + globalRank, exit: e, lost });

describe('outcome', () => {
  it('blames the rank that failed first on its own, not those stopped afterwards', () => {
    const stop: StopRecord = { reason: 'rank-failed', at: 50, rank: 2 };
    const ranks = [rank(0, exit(143, 60, { signal: 'SIGTERM' })), rank(1, exit(0, 10)), rank(2, exit(3, 40)), rank(3, exit(9, 45))];
    expect(firstFailure(ranks, stop)?.globalRank).toBe(2);
    expect(outcomeOf(ranks, stop)).toEqual({ status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 2, message: 'rank 2 (node 0, local rank 2) exited with code 3 first; the other ranks were stopped.' });
    expect(ranks.map((r) => rankInfo(r, stop).status)).toEqual(['Cancelled', 'Succeeded', 'Failed', 'Failed']);
  });

  it('says when a rank was killed by a signal, could not run, or its node setup failed', () => {
    expect(outcomeOf([rank(0, exit(139, 5, { signal: 'SIGSEGV' }))], null).message).toBe('rank 0 (node 0, local rank 0) was killed by SIGSEGV (exit code 139).');
    expect(outcomeOf([rank(0, exit(127, 5, { error: 'spawn x ENOENT' }))], null).message).toMatch(/could not run \(spawn x ENOENT; exit code 127\)/);
    expect(outcomeOf([rank(0, exit(2, 5, { phase: 'setup' })), rank(1, exit(2, 6, { phase: 'wait' }))], null).message).toMatch(/^the setup commands of node 0 \(run by rank 0/);
  });

  it('cancelled, lost, complete', () => {
    const cancel: StopRecord = { reason: 'cancel', at: 50, rank: null };
    expect(outcomeOf([rank(0, exit(143, 60)), rank(1, exit(0, 10))], cancel)).toMatchObject({ status: 'Cancelled', message: 'Cancelled; 1 of 2 rank(s) were stopped.' });
    expect(outcomeOf([rank(0, exit(0, 10))], cancel).status).toBe('Complete'); // it had finished already
    expect(outcomeOf([rank(0, null, 'gone'), rank(1, exit(0, 1))], null)).toMatchObject({ status: 'Failed', reason: 'Lost', failedRank: 0 });
    expect(rankInfo(rank(0, null, 'gone'), null)).toMatchObject({ status: 'Failed', exitCode: null });
    expect(rankInfo({ ...rank(0, null), pid: null }, null).status).toBe('Pending');
    expect(outcomeOf([rank(0, exit(0, 1)), rank(1, exit(0, 2))], null)).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0 });
  });
});

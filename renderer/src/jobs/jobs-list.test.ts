import { describe, expect, it } from 'vitest';
import { job } from './test-job';
import { exitLabel, fresher, mergeJobs, shapeLabel, upsertJob } from './jobs-list';

describe('upsertJob (jobs.changed)', () => {
  it('inserts a new job at its place, newest first', () => {
    const rows = [job({ id: 'c', createdAt: 30 }), job({ id: 'a', createdAt: 10 })];
    const next = upsertJob(rows, job({ id: 'b', createdAt: 20 }));
    expect(next.map((j) => j.id)).toEqual(['c', 'b', 'a']);
    expect(upsertJob(next, job({ id: 'd', createdAt: 40 }))[0]!.id).toBe('d');
    expect(rows.map((j) => j.id)).toEqual(['c', 'a']); // not mutated
  });
  it('replaces a job in place when its status moves forward', () => {
    const rows = [job({ id: 'b', status: 'Running', createdAt: 20 }), job({ id: 'a', createdAt: 10 })];
    const next = upsertJob(rows, job({ id: 'b', status: 'Failed', createdAt: 20, exitCode: 1 }));
    expect(next[0]).toMatchObject({ id: 'b', status: 'Failed', exitCode: 1 });
    expect(next).toHaveLength(2);
  });
  it('never moves a job backwards', () => {
    const rows = [job({ id: 'b', status: 'Failed' })];
    expect(upsertJob(rows, job({ id: 'b', status: 'Running' }))).toBe(rows);
    expect(fresher(job({ id: 'x', status: 'Running' }), job({ id: 'x', status: 'Created' })).status).toBe('Running');
    expect(fresher(job({ id: 'x', status: 'Running' }), job({ id: 'x', status: 'Running', message: 'm' })).message).toBe('m');
  });
});

describe('mergeJobs (jobs.list pages)', () => {
  it('deduplicates by id and keeps the fresher copy', () => {
    const loaded = [job({ id: 'b', status: 'Complete', createdAt: 20 }), job({ id: 'a', createdAt: 10 })];
    const page = [job({ id: 'b', status: 'Running', createdAt: 20 }), job({ id: 'z', createdAt: 5 })];
    const merged = mergeJobs(loaded, page);
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      ['b', 'Complete'],
      ['a', 'Complete'],
      ['z', 'Complete'],
    ]);
    expect(mergeJobs(loaded, [])).toBe(loaded);
  });
  it('appends a page of older jobs to 99,000 loaded rows: every row once, in order, the loaded rows untouched', () => {
    const loaded = Array.from({ length: 99_000 }, (_, i) => job({ id: `j${String(100_000 - i).padStart(6, '0')}`, createdAt: 100_000 - i }));
    const page = Array.from({ length: 1000 }, (_, i) => job({ id: `j${String(1000 - i).padStart(6, '0')}`, createdAt: 1000 - i }));
    const merged = mergeJobs(loaded, page);
    expect(merged).toHaveLength(100_000);
    expect(merged[98_999]).toBe(loaded[98_999]);
    expect(merged[99_000]).toBe(page[0]);
    expect(merged.at(-1)!.createdAt).toBe(1);
    expect(loaded).toHaveLength(99_000);
    // A page that is not older than everything loaded (an event inserted a row meanwhile) is merged by id.
    const overlap = mergeJobs(merged.slice(0, 3), [merged[2]!, job({ id: 'x', createdAt: 99_999 })]);
    expect(overlap.map((j) => j.createdAt)).toEqual([100_000, 99_999, 99_999, 99_998]);
  });
  it('stays fast with thousands of rows', () => {
    const many = Array.from({ length: 5000 }, (_, i) => job({ id: `j${i}`, createdAt: i }));
    const t0 = performance.now();
    let rows = mergeJobs([], many);
    for (let i = 0; i < 200; i++) rows = upsertJob(rows, job({ id: `n${i}`, createdAt: 10_000 + i }));
    expect(rows[0]!.id).toBe('n199');
    expect(rows).toHaveLength(5200);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('labels', () => {
  it('shows the shape and the exit', () => {
    expect(shapeLabel({ numNodes: 2, numProcPerNode: 4 })).toBe('2×4');
    expect(exitLabel({ status: 'Complete', exitCode: 0, reason: null })).toBe('exit 0');
    expect(exitLabel({ status: 'Complete', exitCode: 0, reason: 'Succeeded' })).toBe('exit 0');
    expect(exitLabel({ status: 'Failed', exitCode: 1, reason: 'RankFailed' })).toBe('exit 1 · RankFailed');
    expect(exitLabel({ status: 'Cancelled', exitCode: null, reason: 'Cancelled' })).toBe('Cancelled');
    expect(exitLabel({ status: 'Failed', exitCode: null, reason: 'EngineRestart' })).toBe('EngineRestart');
    expect(exitLabel({ status: 'Running', exitCode: null, reason: null })).toBe('');
  });
});

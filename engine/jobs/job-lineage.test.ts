import { describe, expect, it } from 'vitest';
import { openStore } from '../store/store.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { JobLineage } from './job-lineage.js';
import { JobRepo } from './job-repo.js';

function setup() {
  const store = openStore(makeTempDir('jobs', 'lineage'));
  const repo = new JobRepo(store.db);
  const add = (id: string, parentId: string | null, at: number, backend: 'local-process' | 'kubernetes' = 'local-process', relation: 'rerun' | 'promote' | null = null) =>
    repo.insert({ id, name: 'digits', workspace: '/w', spec: 's', backend, target: 'localhost', numNodes: 1, numProcPerNode: 1, warnings: [], jobDir: `/d/${id}`, parentId, relation, createdAt: at });
  return { store, repo, add };
}

describe('job lineage', () => {
  it('ancestors root first, children oldest first; a deleted parent ends the chain', () => {
    const { store, add } = setup();
    add('a', null, 1);
    add('b', 'a', 2);
    add('c', 'b', 3, 'kubernetes');
    add('d', 'b', 4);
    const l = new JobLineage(store.db);
    expect(l.lineage('c').ancestors.map((j) => j.id)).toEqual(['a', 'b']);
    expect(l.lineage('b').children.map((j) => j.id)).toEqual(['c', 'd']);
    store.db.prepare('DELETE FROM jobs WHERE id = ?').run('a');
    expect(l.lineage('c').ancestors.map((j) => j.id)).toEqual(['b']);
    expect(() => l.lineage('zzz')).toThrow(/No job "zzz"/);
    store.close();
  });

  it('says how each job was made from its parent, as stored when it was created', () => {
    const { store, add } = setup();
    add('a', null, 1);
    // Stored relations win over where the jobs ran: a promote to the same place is still a promote.
    add('b', 'a', 2, 'local-process', 'promote');
    add('c', 'a', 3, 'kubernetes', 'rerun');
    // Made before relations were stored: from where it ran (same backend and target = re-run).
    add('d', 'a', 4, 'local-process');
    add('e', 'a', 5, 'kubernetes');
    const l = new JobLineage(store.db).lineage('a');
    expect(l.job.relation).toBeNull();
    expect(l.children.map((j) => [j.id, j.relation])).toEqual([['b', 'promote'], ['c', 'rerun'], ['d', 'rerun'], ['e', 'promote']]);
    expect(new JobLineage(store.db).lineage('b').job.relation).toBe('promote');
    // The relation lives in the job's labels (no migration: the column exists since schema 2).
    expect(store.db.prepare("SELECT labels FROM jobs WHERE id = 'b'").pluck().get()).toBe('{"kubeflow-desktop/relation":"promote"}');
    expect(store.db.prepare("SELECT labels FROM jobs WHERE id = 'a'").pluck().get()).toBe('{}');
    store.close();
  });

  it('compares runs: duration and the last value of each rank-0 metric', () => {
    const { store, repo, add } = setup();
    add('a', null, 1);
    add('b', 'a', 2, 'kubernetes');
    repo.markRunning('a', 1000);
    repo.finish('a', { status: 'Complete', reason: 'Succeeded', message: '', exitCode: 0, failedRank: null }, 4000);
    const stmt = store.db.prepare('INSERT INTO metrics (job_id, rank, step, name, value, ts, line) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const ins = { run: (...v: [string, number, number, string, number, number]) => stmt.run(...v, v[5]) }; // one log line per point
    ins.run('a', 0, 1, 'loss', 0.9, 1);
    ins.run('a', 0, 2, 'loss', 0.4, 2);
    ins.run('a', 1, 3, 'loss', 0.1, 3); // another rank's value is not rank 0's
    ins.run('a', 0, 2, 'acc', 0.7, 2);
    ins.run('a', 0, 2, 'acc', 0.8, 5); // logged twice at the last step: the newest wins
    const { runs } = new JobLineage(store.db).compare(['a', 'b']);
    expect(runs[0]).toMatchObject({ durationMs: 3000, finalMetrics: [{ name: 'acc', step: 2, value: 0.8 }, { name: 'loss', step: 2, value: 0.4 }] });
    expect(runs[1]).toMatchObject({ durationMs: null, finalMetrics: [] });
    store.close();
  });
});

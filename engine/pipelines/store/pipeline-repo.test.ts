import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/store.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { PipelineRepo } from './pipeline-repo.js';

let store: Store | null = null;
afterEach(() => store?.close());

function repo(): PipelineRepo {
  store = openStore(makeTempDir('pipelines', 'repo'));
  const r = new PipelineRepo(store.db);
  r.insertRun({ id: 'r1', name: 'p', pipelineName: 'p', file: '/p.yaml', spec: 'x', parameters: { n: 1 }, backend: 'local-process', placement: null, enableCache: true, rerunOf: null, pipelineRoot: '/root', createdAt: 1 });
  return r;
}

describe('pipeline repo', () => {
  it('one live engine drives a run; a dead one\'s runs are taken over; close releases them', () => {
    const r = repo();
    const alive = new Set([100, 200]);
    const isAlive = (pid: number) => alive.has(pid);
    expect(r.claim('r1', 'host:100', isAlive)).toBe(true);
    expect(r.claim('r1', 'host:200', isAlive)).toBe(false);
    expect(r.claim('r1', 'host:100', isAlive)).toBe(true);
    alive.delete(100);
    expect(r.claim('r1', 'host:200', isAlive)).toBe(true);
    r.release('host:200');
    alive.add(100);
    expect(r.claim('r1', 'host:100', isAlive)).toBe(true);
  });

  it('finds a cached result by key, newest first, optionally only in one run', () => {
    const r = repo();
    const task = { runId: 'r1', path: 'a', name: 'a', status: 'Succeeded' as const, cached: false, jobId: 'j1', attempt: 0, inputs: { parameters: {}, artifacts: {} }, outputs: { parameters: { Output: 1 }, artifacts: {} }, cacheKey: 'k', message: null, notes: [], startedAt: 1, finishedAt: 2 };
    r.upsertTask(task);
    r.upsertTask({ ...task, path: 'b', status: 'Failed', cacheKey: 'k2' });
    expect(r.cached('k')?.jobId).toBe('j1');
    expect(r.cached('k', 'other')).toBeNull();
    expect(r.cached('k2')).toBeNull();
    expect(r.tasks('r1').map((t) => [t.path, t.status])).toEqual([['a', 'Succeeded'], ['b', 'Failed']]);
  });
});

/**
 * jobs.list over a real store: cursor pages, deep offsets, status filters and the trigram search
 * give the same rows as the plain definition (filter, then newest first), however they are paged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import type { JobStatus, JobSummary } from '../api/contract.js';
import { ApiError } from '../api/api-error.js';

const STATUSES: JobStatus[] = ['Complete', 'Failed', 'Cancelled', 'Complete', 'Running'];
const N = 3000;
let dir: string;
let engine: Engine;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-joblist-'));
  engine = createEngine({ dataDir: dir, env: { PATH: process.env.PATH }, role: 'client' });
  const insert = engine.store.db.prepare(
    `INSERT INTO jobs (id, name, workspace, spec, backend, status, created_at) VALUES (?, ?, ?, 'kind: TrainJob', 'local-process', ?, ?)`,
  );
  engine.store.db.transaction(() => {
    // Several jobs per millisecond: ties in created_at are broken by id.
    for (let i = 0; i < N; i++) insert.run(`job-${String(i).padStart(5, '0')}`, `${['MNIST-ddp', 'bert-tune', 'resnet'][i % 3]}-${i % 7}`, `/home/u/ws-${i % 11}`, STATUSES[i % 5], 1_000 + Math.floor(i / 3));
  })();
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function list(input: Record<string, unknown>): Promise<{ jobs: JobSummary[]; total: number; nextCursor?: string | null }> {
  const answer = await engine.dispatch('jobs.list', input);
  if ('error' in answer) throw new ApiError(answer.error.code as never, answer.error.message);
  return answer.result as { jobs: JobSummary[]; total: number; nextCursor?: string | null };
}

/** The definition: every job matching, newest first, ties by id descending. */
async function expected(filter: (j: JobSummary) => boolean): Promise<string[]> {
  const all = (await list({ limit: 10_000 })).jobs;
  return all.filter(filter).map((j) => j.id);
}

const ordered = (jobs: JobSummary[]) => jobs.every((j, i) => i === 0 || jobs[i - 1]!.createdAt > j.createdAt || (jobs[i - 1]!.createdAt === j.createdAt && jobs[i - 1]!.id > j.id));

describe('jobs.list at scale', () => {
  it('pages by cursor through every job exactly once, newest first; jobs added meanwhile do not shift the pages', async () => {
    const seen: string[] = [];
    let page = await list({ limit: 700 });
    seen.push(...page.jobs.map((j) => j.id));
    // A job submitted while the user scrolls: newest, so it belongs before the first page.
    engine.store.db.prepare(`INSERT INTO jobs (id, name, workspace, spec, backend, status, created_at) VALUES ('job-new', 'new', '/w', 's', 'local-process', 'Running', 99999)`).run();
    while (page.nextCursor) {
      page = await list({ limit: 700, cursor: page.nextCursor });
      seen.push(...page.jobs.map((j) => j.id));
    }
    expect(seen).toHaveLength(N);
    expect(new Set(seen).size).toBe(N);
    expect(seen).not.toContain('job-new');
    const all = (await list({ limit: 10_000 })).jobs;
    expect(ordered(all)).toBe(true);
    expect(seen).toEqual(all.filter((j) => j.id !== 'job-new').map((j) => j.id));
    engine.store.db.prepare(`DELETE FROM jobs WHERE id = 'job-new'`).run();
  });

  it('a deep offset is the same slice as the full list; status filters keep list order and count', async () => {
    const all = (await list({ limit: 10_000 })).jobs.map((j) => j.id);
    expect((await list({ limit: 50, offset: 2500 })).jobs.map((j) => j.id)).toEqual(all.slice(2500, 2550));
    const failed = await list({ status: ['Failed', 'Cancelled'], limit: 40, offset: 700 });
    const want = await expected((j) => j.status === 'Failed' || j.status === 'Cancelled');
    expect(failed.total).toBe(want.length);
    expect(failed.jobs.map((j) => j.id)).toEqual(want.slice(700, 740));
  });

  it('search finds a substring of the name, id or workspace in any case (short terms too), with status filters and paging', async () => {
    const cases: [string, (j: JobSummary) => boolean][] = [
      ['mnist', (j) => j.name.startsWith('MNIST')],
      ['T-TUNE-3', (j) => j.name === 'bert-tune-3'],
      ['b-01234', (j) => j.id === 'job-01234'],
      ['ws-10', (j) => j.workspace.endsWith('ws-10')],
      ['-5', (j) => /-5/.test(`${j.name}\n${j.id}\n${j.workspace}`)],
      ['no such thing', () => false],
      ['"quoted"', () => false],
    ];
    for (const [search, match] of cases) {
      const want = await expected(match);
      const got = await list({ search, limit: 10_000 });
      expect(got.jobs.map((j) => j.id), search).toEqual(want);
      expect(got.total, search).toBe(want.length);
    }
    const want = await expected((j) => j.name.startsWith('resnet') && j.status === 'Failed');
    const page1 = await list({ search: 'resnet', status: ['Failed'], limit: 30 });
    const page2 = await list({ search: 'resnet', status: ['Failed'], limit: 30, cursor: page1.nextCursor! });
    expect(page1.total).toBe(want.length);
    expect([...page1.jobs, ...page2.jobs].map((j) => j.id)).toEqual(want.slice(0, 60));
  });

  it('search follows renames and deletions', async () => {
    engine.store.db.prepare(`UPDATE jobs SET name = 'renamed-zebra' WHERE id = 'job-00042'`).run();
    expect((await list({ search: 'zebra', limit: 10 })).jobs.map((j) => j.id)).toEqual(['job-00042']);
    engine.store.db.prepare(`DELETE FROM jobs WHERE id = 'job-00042'`).run();
    expect((await list({ search: 'zebra', limit: 10 })).total).toBe(0);
  });

  it('refuses a cursor it did not give out, naming the field', async () => {
    await expect(list({ limit: 10, cursor: 'garbage' })).rejects.toThrow(/field `cursor`/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/store.js';
import { formatRecord } from '../logs/log-format.js';
import { tailJobLogs } from '../logs/log-tailer.js';
import { Downsampler, MetricWriter, downsample, metricNames, readMetrics } from './metric-store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-metrics-'));
  store = openStore(path.join(dir, 'data'));
  insertJob('job-1');
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function insertJob(id: string): void {
  store.db
    .prepare(`INSERT INTO jobs (id, name, workspace, spec, backend, created_at) VALUES (?, 'train', '/ws', 'kind: TrainJob', 'local-process', ?)`)
    .run(id, Date.now());
}
const rowCount = () => store.db.prepare('SELECT COUNT(*) FROM metrics').pluck().get() as number;

describe('MetricWriter', () => {
  it('round-trips parsed log lines through SQLite, NaN and infinities included', () => {
    const w = new MetricWriter(store.db, 'job-1');
    const added = w.addRecords(0, [
      { ts: 10, text: 'step=1 loss=0.9 acc=50%' },
      { ts: 11, text: 'nothing here' },
      { ts: 12, text: "{'step': 2, 'loss': nan, 'acc': 61.5}" },
      { ts: 13, text: 'step=3 loss=inf acc=-inf' },
    ]);
    expect(added).toBe(6);
    w.addRecords(1, [{ ts: 14, text: 'step=1 loss=1.1' }]);
    w.close();
    expect(readMetrics(store.db, 'job-1')).toEqual([
      { name: 'acc', rank: 0, points: [[1, 50], [2, 61.5], [3, -Infinity]] },
      { name: 'loss', rank: 0, points: [[1, 0.9], [2, NaN], [3, Infinity]] },
      { name: 'loss', rank: 1, points: [[1, 1.1]] },
    ]);
    const stored = store.db.prepare("SELECT value FROM metrics WHERE step = 2 AND name = 'loss'").pluck().get();
    expect(stored).toBeNull();
    expect(() => w.addRecords(0, [{ ts: 1, text: 'loss=1' }])).toThrow(/closed/);
  });

  it('continues step-less series after stored points when reopened for the same job', () => {
    const first = new MetricWriter(store.db, 'job-1');
    first.addRecords(0, [{ ts: 1, text: "{'loss': 0.9}" }, { ts: 2, text: "{'loss': 0.8}" }]);
    first.addRecords(1, [{ ts: 1, text: "{'loss': 1.9}" }]);
    first.close();
    const second = new MetricWriter(store.db, 'job-1');
    second.addRecords(0, [{ ts: 3, text: "{'loss': 0.7, 'acc': 0.5}" }]);
    second.addRecords(1, [{ ts: 3, text: "{'loss': 1.8}" }]);
    second.close();
    expect(readMetrics(store.db, 'job-1').map((s) => [s.name, s.rank, s.points])).toEqual([
      ['acc', 0, [[0, 0.5]]],
      ['loss', 0, [[0, 0.9], [1, 0.8], [2, 0.7]]],
      ['loss', 1, [[0, 1.9], [1, 1.8]]],
    ]);
  });

  it('writes a batch as soon as maxRows are queued, else after maxDelayMs', async () => {
    const w = new MetricWriter(store.db, 'job-1', { maxRows: 3, maxDelayMs: 30 });
    w.add({ rank: 0, step: 0, name: 'a', value: 1, ts: 1 }, { rank: 0, step: 1, name: 'a', value: 2, ts: 2 });
    expect(rowCount()).toBe(0);
    expect(w.pending).toBe(2);
    w.add({ rank: 0, step: 2, name: 'a', value: 3, ts: 3 });
    expect(rowCount()).toBe(3);
    w.add({ rank: 0, step: 3, name: 'a', value: 4, ts: 4.7 });
    await new Promise((r) => setTimeout(r, 80));
    expect(rowCount()).toBe(4);
    expect(w.flush()).toBe(0);
    expect(() => w.add({ rank: 0, step: 1.5, name: 'a', value: 1, ts: 1 })).toThrow(RangeError);
    w.close();
    w.close();
  });

  it('reports a failed timed flush (unknown job) instead of throwing from a timer', async () => {
    const errors: unknown[] = [];
    const w = new MetricWriter(store.db, 'no-such-job', { maxDelayMs: 10, onError: (e) => errors.push(e) });
    w.add({ rank: 0, step: 0, name: 'a', value: 1, ts: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/FOREIGN KEY/);
    expect(rowCount()).toBe(0);
  });

  it('stores metrics of a log tailed from a file (the wiring the job service uses)', async () => {
    const logDir = path.join(dir, 'logs');
    fs.mkdirSync(logDir);
    const lines = Array.from({ length: 50 }, (_, i) => formatRecord({ ts: 1000 + i, stream: 'o', text: `step=${i} loss=${1 / (i + 1)}` }));
    fs.writeFileSync(path.join(logDir, 'rank-0.log'), lines.join(''));
    const w = new MetricWriter(store.db, 'job-1');
    const tail = tailJobLogs({ logDir, onRecords: (rank, records) => w.addRecords(rank, records) });
    await tail.poll();
    await tail.stop();
    w.close();
    const [loss] = readMetrics(store.db, 'job-1');
    expect(loss!.points).toHaveLength(50);
    expect(loss!.points[49]).toEqual([49, 1 / 50]);
  });
});

describe('readMetrics', () => {
  beforeEach(() => {
    insertJob('job-2');
    const w = new MetricWriter(store.db, 'job-1');
    // written out of step order, like two loggers racing; ties keep write order
    for (const step of [5, 1, 3, 2, 4]) w.add({ rank: 0, step, name: 'loss', value: step / 10, ts: 100 + step });
    w.add({ rank: 0, step: 3, name: 'loss', value: 0.33, ts: 200 });
    w.add({ rank: 2, step: 1, name: 'loss', value: 9, ts: 50 });
    w.add({ rank: 0, step: 1, name: 'acc', value: 0.5, ts: 101 });
    w.close();
    const other = new MetricWriter(store.db, 'job-2');
    other.add({ rank: 0, step: 1, name: 'other', value: 1, ts: 1 });
    other.close();
  });

  it('orders series by name and rank, points by step', () => {
    expect(metricNames(store.db, 'job-1')).toEqual(['acc', 'loss']);
    expect(readMetrics(store.db, 'job-1', { rank: 0, names: ['loss'] })).toEqual([
      { name: 'loss', rank: 0, points: [[1, 0.1], [2, 0.2], [3, 0.3], [3, 0.33], [4, 0.4], [5, 0.5]] },
    ]);
    expect(readMetrics(store.db, 'job-1').map((s) => [s.name, s.rank])).toEqual([['acc', 0], ['loss', 0], ['loss', 2]]);
    expect(readMetrics(store.db, 'job-1', { names: ['missing'] })).toEqual([]);
    expect(readMetrics(store.db, 'nope')).toEqual([]);
  });

  it('returns only points logged after sinceTs', () => {
    expect(readMetrics(store.db, 'job-1', { sinceTs: 104 })).toEqual([
      { name: 'loss', rank: 0, points: [[3, 0.33], [5, 0.5]] },
    ]);
  });

  it('downsamples each series when asked', () => {
    const [loss] = readMetrics(store.db, 'job-1', { names: ['loss'], rank: 0, maxPoints: 4 });
    expect(loss!.points).toEqual([[1, 0.1], [2, 0.2], [4, 0.4], [5, 0.5]]);
  });
});

describe('downsample', () => {
  const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => [i, f(i)] as [number, number]);

  it('keeps first, last and each bucket’s min and max, so spikes survive', () => {
    const points = series(10_000, (i) => Math.sin(i / 100));
    points[4321] = [4321, 1000];
    points[7777] = [7777, -1000];
    const out = downsample(points, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.length).toBeGreaterThan(150);
    expect(out[0]).toEqual([0, 0]);
    expect(out.at(-1)).toEqual(points.at(-1));
    expect(out).toContainEqual([4321, 1000]);
    expect(out).toContainEqual([7777, -1000]);
    const steps = out.map((p) => p[0]);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('leaves short series alone and handles tiny limits and NaN buckets', () => {
    expect(downsample(series(5, (i) => i), 10)).toHaveLength(5);
    expect(downsample(series(100, (i) => i), 2)).toEqual([[0, 0], [99, 99]]);
    const nan = downsample(series(100, () => NaN), 10);
    expect(nan.length).toBeGreaterThan(2);
    expect(nan.every((p) => Number.isNaN(p[1]))).toBe(true);
    const mixed = downsample(series(100, (i) => (i % 2 ? NaN : i)), 6);
    expect(mixed.slice(1, -1).every((p) => !Number.isNaN(p[1]))).toBe(true);
    expect(new Downsampler(0, 0, 10).result()).toEqual([]);
  });
});

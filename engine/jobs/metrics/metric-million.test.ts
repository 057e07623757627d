/**
 * Throughput of the metrics path on a 1M-line rank log: read (chunked tail) → parse → batched
 * SQLite writes, then a downsampled read. Numbers are printed for the report, never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/store.js';
import { formatRecord } from '../logs/log-format.js';
import { tailJobLogs } from '../logs/log-tailer.js';
import { parseMetricLine } from './metric-parser.js';
import { MetricWriter, readMetrics } from './metric-store.js';

const LINES = 1_000_000;
let dir: string;
let logDir: string;
let store: Store;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-metric-million-'));
  logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  const fd = fs.openSync(path.join(logDir, 'rank-0.log'), 'w');
  // Realistic mix: 9 of 10 lines carry step, loss and lr (2 points); every 10th is plain text.
  for (let start = 0; start < LINES; start += 10_000) {
    let chunk = '';
    for (let i = start; i < start + 10_000; i++) {
      const text = i % 10 === 9 ? `processed batch ${i} of ${LINES}` : `step=${i} loss=${(1 / (i + 1)).toFixed(6)} lr=0.001`;
      chunk += formatRecord({ ts: 1_700_000_000_000 + i, stream: 'o', text });
    }
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  store = openStore(path.join(dir, 'data'));
  store.db
    .prepare(`INSERT INTO jobs (id, name, workspace, spec, backend, created_at) VALUES ('big', 'train', '/ws', 'kind: TrainJob', 'local-process', 0)`)
    .run();
}, 120_000);
afterAll(() => {
  store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

describe('metrics from a 1M-line log', () => {
  it('reads and parses every line (no database)', async () => {
    let points = 0;
    const t = performance.now();
    const tail = tailJobLogs({
      logDir,
      onRecords(_rank, records) {
        for (const r of records) {
          const parsed = parseMetricLine(r.text);
          if (parsed) points += Object.keys(parsed.values).length;
        }
      },
    });
    await tail.poll();
    await tail.stop();
    const ms = performance.now() - t;
    console.log(`[metrics 1M] read+parse: ${ms.toFixed(0)} ms, ${rate(LINES, ms)} records, ${points} points`);
    expect(points).toBe((LINES * 9) / 10 * 2);
  });

  it('reads, parses and writes to SQLite in batches', async () => {
    const writer = new MetricWriter(store.db, 'big');
    const t = performance.now();
    const tail = tailJobLogs({ logDir, onRecords: (rank, records) => void writer.addRecords(rank, records) });
    await tail.poll();
    await tail.stop();
    writer.close();
    const ms = performance.now() - t;
    const rows = store.db.prepare("SELECT COUNT(*) FROM metrics WHERE job_id = 'big'").pluck().get() as number;
    console.log(`[metrics 1M] read+parse+write: ${ms.toFixed(0)} ms, ${rate(LINES, ms)} records, ${rate(rows, ms)} rows`);
    expect(rows).toBe((LINES * 9) / 10 * 2);

    let t2 = performance.now();
    const series = readMetrics(store.db, 'big', { maxPoints: 1000 });
    console.log(`[metrics 1M] readMetrics 2 × 900k points → maxPoints 1000: ${(performance.now() - t2).toFixed(0)} ms`);
    expect(series.map((s) => [s.name, s.points.length <= 1000])).toEqual([['loss', true], ['lr', true]]);
    expect(series[0]!.points[0]).toEqual([0, 1]);
    expect(series[0]!.points.at(-1)![0]).toBe(LINES - 2);

    t2 = performance.now();
    const recent = readMetrics(store.db, 'big', { names: ['loss'], sinceTs: 1_700_000_000_000 + LINES - 101 });
    console.log(`[metrics 1M] readMetrics sinceTs (last 100 lines): ${(performance.now() - t2).toFixed(0)} ms`);
    expect(recent[0]!.points).toHaveLength(90);
  }, 120_000);
});

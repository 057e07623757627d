/**
 * A rank log of one million lines: paging near the end, searching and tailing must stream the
 * file in chunks, never hold it in memory. Memory is asserted loosely as live heap (after a
 * forced GC) well below the file size; durations are printed, not asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRecord } from './log-format.js';
import { JobLogIndex, lastLines, searchLogs } from './log-index.js';
import { tailJobLogs } from './log-tailer.js';

const LINES = 1_000_000;
const T0 = 1_700_000_000_000;
let dir: string;
let file: string;
let fileBytes: number;

function writeMillionLineLog(target: string, lines = LINES): number {
  const fd = fs.openSync(target, 'w');
  try {
    for (let start = 0; start < lines; start += 10_000) {
      let chunk = '';
      for (let i = start; i < Math.min(lines, start + 10_000); i++) {
        chunk += formatRecord({ ts: T0 + i, stream: i % 50 === 0 ? 'e' : 'o', text: `step=${i} loss=${(1 / (i + 1)).toFixed(6)} lr=0.001` });
      }
      fs.writeSync(fd, chunk);
    }
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(target).size;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
// Live heap, not heap plus uncollected garbage: the flag can be set at run time, and a fresh
// context then exposes gc().
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const LIVE_LIMIT = 16 * 2 ** 20;
const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const h = heap();
  const t = performance.now();
  const result = await fn();
  const ms = performance.now() - t;
  console.log(`[1M lines] ${label}: ${ms.toFixed(0)} ms, live heap Δ ${mb(heap() - h)} MiB`);
  return result;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-million-'));
  file = path.join(dir, 'rank-0.log');
  fileBytes = writeMillionLineLog(file);
  console.log(`[1M lines] file ${mb(fileBytes)} MiB`);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a 1M-line rank log', () => {
  it('pages near the end without loading the file', async () => {
    const index = new JobLogIndex(dir, { persist: true });
    const before = heap();
    const page = await timed('index build + readPage(-100)', () => index.readPage(0, -100, 100));
    expect(page.totalLines).toBe(LINES);
    expect(page.fromLine).toBe(LINES - 100);
    expect(page.records).toHaveLength(100);
    expect(page.records[99]!.text).toBe(`step=${LINES - 1} loss=${(1 / LINES).toFixed(6)} lr=0.001`);
    const again = await timed('readPage(999_500) on a built index', () => index.readPage(0, 999_500, 50));
    expect(again.records[0]!.ts).toBe(T0 + 999_500);
    expect(heap() - before).toBeLessThan(LIVE_LIMIT);

    const reopened = new JobLogIndex(dir, { persist: true });
    const fromIdx = await timed('readPage(500_000) with the persisted .idx', () => reopened.readPage(0, 500_000, 10));
    expect(fromIdx.records[0]!.text.startsWith('step=500000 ')).toBe(true);
  });

  it('reads the last lines and searches by streaming', async () => {
    const before = heap();
    const last = await timed('lastLines(20)', () => lastLines(file, 20));
    expect(last.map((r) => r.ts)).toEqual(Array.from({ length: 20 }, (_, i) => T0 + LINES - 20 + i));
    const hits = await timed('searchLogs full scan', () => searchLogs(dir, `STEP=${LINES - 2} `));
    expect(hits.map((h) => h.line)).toEqual([LINES - 2]);
    expect(heap() - before).toBeLessThan(LIVE_LIMIT);
  });

  it('tails the whole file in bounded batches with bounded memory', async () => {
    let count = 0;
    let maxBatch = 0;
    let inOrder = true;
    let prevTs = T0 - 1;
    let peak = 0;
    const before = heap();
    const tail = tailJobLogs({
      logDir: dir,
      onRecords(_rank, records) {
        count += records.length;
        maxBatch = Math.max(maxBatch, records.length);
        for (const r of records) {
          if (r.ts !== prevTs + 1) inOrder = false;
          prevTs = r.ts;
        }
        peak = Math.max(peak, heap() - before);
      },
    });
    await timed('tail from offset 0', () => tail.poll());
    await tail.stop();
    expect(count).toBe(LINES);
    expect(inOrder).toBe(true);
    expect(maxBatch).toBeLessThan(LINES / 10);
    expect(tail.offsets()).toEqual({ 0: fileBytes });
    console.log(`[1M lines] tail: ${count} records, largest batch ${maxBatch}, peak live heap Δ ${mb(peak)} MiB`);
    expect(peak).toBeLessThan(LIVE_LIMIT); // about one batch is alive at a time
    expect(LIVE_LIMIT).toBeLessThan(fileBytes / 2);
  });
});

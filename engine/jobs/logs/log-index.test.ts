import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRecord, type LogRecord } from './log-format.js';
import { JobLogIndex, lastLines, searchLogs, type MergedCursor } from './log-index.js';
import { interleave } from './log-reader.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-logidx-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rec = (ts: number, text: string, stream: 'o' | 'e' = 'o'): LogRecord => ({ ts, stream, text });
const logFile = (rank: number) => path.join(dir, `rank-${rank}.log`);
const write = (rank: number, records: LogRecord[], tail = '') =>
  fs.writeFileSync(logFile(rank), records.map(formatRecord).join('') + tail);
const append = (rank: number, records: LogRecord[]) => fs.appendFileSync(logFile(rank), records.map(formatRecord).join(''));
const lines = (n: number, from = 0, ts = (i: number) => i) =>
  Array.from({ length: n }, (_, k) => rec(ts(from + k), `line ${from + k}${k % 5 === 0 ? ' ünï' : ''}`));

describe('JobLogIndex.readPage', () => {
  it('returns the same lines as a full read at any position, across checkpoints', async () => {
    const all = lines(137);
    write(0, all, '999 o partial');
    const index = new JobLogIndex(dir, { every: 10 });
    expect(await index.lineCount(0)).toBe(137);
    for (const [from, count] of [[0, 5], [9, 3], [10, 10], [55, 30], [130, 50], [137, 5], [500, 5]] as const) {
      const page = await index.readPage(0, from, count);
      const expected = all.slice(from, from + count);
      expect(page.records).toEqual(expected);
      expect(page.fromLine).toBe(Math.min(from, 137));
      expect(page.nextLine).toBe(page.fromLine + expected.length);
      expect(page.totalLines).toBe(137);
    }
    expect((await index.readPage(0, -3, 10)).records).toEqual(all.slice(-3));
    expect((await index.readPage(0, -1000, 2)).records).toEqual(all.slice(0, 2));
    expect((await index.readPage(7, 0, 10)).records).toEqual([]);
  });

  it('extends itself as the file grows and rebuilds when the file is replaced', async () => {
    write(0, lines(25));
    const index = new JobLogIndex(dir, { every: 4 });
    expect(await index.lineCount(0)).toBe(25);
    append(0, lines(30, 25));
    expect(await index.lineCount(0)).toBe(55);
    expect((await index.readPage(0, 40, 3)).records).toEqual(lines(3, 40));
    fs.rmSync(logFile(0));
    write(0, lines(6, 100));
    expect(await index.lineCount(0)).toBe(6);
    expect((await index.readPage(0, 5, 3)).records).toEqual(lines(1, 105));
  });

  it('serves concurrent readers while the index is first built', async () => {
    write(0, lines(500));
    const index = new JobLogIndex(dir, { every: 16 });
    const pages = await Promise.all([0, 100, 250, 499].map((from) => index.readPage(0, from, 2)));
    expect(pages.map((p) => p.records[0]?.text)).toEqual(['line 0 ünï', 'line 100 ünï', 'line 250 ünï', 'line 499']);
  });

  it('persists the index next to the log and ignores a stale or damaged one', async () => {
    write(0, lines(100));
    await new JobLogIndex(dir, { every: 10, persist: true }).lineCount(0);
    const idxFile = path.join(dir, 'rank-0.idx');
    const saved = JSON.parse(fs.readFileSync(idxFile, 'utf8'));
    expect(saved).toMatchObject({ v: 1, every: 10, lines: 100 });
    expect(saved.checkpoints).toHaveLength(11);

    // Reused: a lie about the line count is believed, which proves no rescan happened.
    fs.writeFileSync(idxFile, JSON.stringify({ ...saved, lines: 99, checkpoints: saved.checkpoints.slice(0, 10) }));
    expect(await new JobLogIndex(dir, { every: 10, persist: true }).lineCount(0)).toBe(99);

    for (const damaged of ['not json', JSON.stringify({ ...saved, size: saved.size - 1 }), JSON.stringify({ ...saved, every: 7 })]) {
      fs.writeFileSync(idxFile, damaged);
      const index = new JobLogIndex(dir, { every: 10, persist: true });
      expect(await index.lineCount(0)).toBe(100);
      expect((await index.readPage(0, 95, 10)).records).toEqual(lines(5, 95));
    }
  });
});

describe('JobLogIndex.readMergedPage', () => {
  // Rank 0 logs at even times, rank 1 at odd times and once at the same time as rank 0.
  const r0 = lines(23, 0, (i) => i * 2);
  const r1 = [...lines(15, 100, (i) => (i - 100) * 3 + 1), rec(46, 'same time as r0 line 23')];
  const everything = () => interleave([{ rank: 0, records: r0 }, { rank: 1, records: r1 }]);

  it('pages forward through two rank files in time order', async () => {
    write(0, r0);
    write(1, r1);
    append(0, [rec(46, 'r0 at 46')]);
    const expected = interleave([{ rank: 0, records: [...r0, rec(46, 'r0 at 46')] }, { rank: 1, records: r1 }]);
    const index = new JobLogIndex(dir, { every: 4 });
    const got = [];
    let cursor: MergedCursor | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await index.readMergedPage(cursor, 7);
      if (page.records.length === 0) break;
      got.push(...page.records);
      cursor = page.end;
    }
    expect(got).toEqual(expected);
    expect(got.findIndex((r) => r.text === 'r0 at 46')).toBeLessThan(got.findIndex((r) => r.text.startsWith('same time')));
    expect(cursor).toEqual({ 0: 24, 1: 16 });
  });

  it('pages backward from the end (latest lines first) and back forward again', async () => {
    write(0, r0);
    write(1, r1);
    const all = everything();
    const index = new JobLogIndex(dir, { every: 4 });
    const last = await index.readMergedPage(null, 5, { backward: true });
    expect(last.records).toEqual(all.slice(-5));
    const before = await index.readMergedPage(last.start, 5, { backward: true });
    expect(before.records).toEqual(all.slice(-10, -5));
    const forward = await index.readMergedPage(before.end, 5);
    expect(forward.records).toEqual(last.records);
    const collected = [];
    let cursor: MergedCursor | null = null;
    for (;;) {
      const page = await index.readMergedPage(cursor, 6, { backward: true });
      if (page.records.length === 0) break;
      collected.unshift(...page.records);
      cursor = page.start;
    }
    expect(collected).toEqual(all);
  });
});

describe('searchLogs', () => {
  it('finds case-insensitive substrings in the visible text with line numbers', async () => {
    write(0, [rec(1, 'epoch 1'), rec(2, '\x1b[31mCUDA\x1b[0m out of memory', 'e'), rec(3, 'ok')]);
    write(1, [rec(1, 'cuda\x1b[0m out of memory'), rec(2, 'Out Of Memory again')], '3 o out of memory partial');
    const hits = await searchLogs(dir, 'Out of MEMORY');
    expect(hits.map((h) => [h.rank, h.line])).toEqual([[0, 1], [1, 0], [1, 1]]);
    expect(hits[0]!.record).toEqual(rec(2, '\x1b[31mCUDA\x1b[0m out of memory', 'e'));
    // ANSI escapes are stripped before matching, so a colour change does not break the phrase.
    expect((await searchLogs(dir, 'cuda out')).map((h) => h.line)).toEqual([1, 0]);
    expect(await searchLogs(dir, 'memory', { rank: 1, limit: 1 })).toHaveLength(1);
    expect(await searchLogs(dir, '31m')).toEqual([]);
    expect(await searchLogs(dir, '')).toEqual([]);
    expect(await searchLogs(path.join(dir, 'missing'), 'x')).toEqual([]);
    const ac = new AbortController();
    ac.abort();
    await expect(searchLogs(dir, 'x', { signal: ac.signal })).rejects.toThrow();
  });

  it('line numbers agree with readPage', async () => {
    write(0, lines(3000));
    const [hit] = await searchLogs(dir, 'line 2345');
    const page = await new JobLogIndex(dir).readPage(0, hit!.line, 1);
    expect(page.records[0]!.text).toBe('line 2345 ünï');
  });
});

describe('lastLines via log-index', () => {
  it('is re-exported for the failing-rank summary', async () => {
    write(2, lines(10));
    expect((await lastLines(logFile(2), 2)).map((r) => r.text)).toEqual(['line 8', 'line 9']);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRecord, type LogRecord } from './log-format.js';
import { interleave, lastLines, readRecords } from './log-reader.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-logread-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rec = (ts: number, text: string, stream: 'o' | 'e' = 'o'): LogRecord => ({ ts, stream, text });
const write = (file: string, records: LogRecord[], tail = ''): void =>
  fs.writeFileSync(file, records.map(formatRecord).join('') + tail);

describe('readRecords', () => {
  it('reads complete records from an offset and ignores a partial last line', async () => {
    const file = path.join(dir, 'rank-0.log');
    const records = [rec(1, 'a'), rec(2, 'ü €', 'e'), rec(3, '')];
    write(file, records, '4 o half-writ');
    const all = await readRecords(file, 0);
    expect(all.records).toEqual(records);
    const complete = fs.statSync(file).size - '4 o half-writ'.length;
    expect(all.nextOffset).toBe(complete);

    expect(await readRecords(file, all.nextOffset)).toEqual({ records: [], nextOffset: complete });
    fs.appendFileSync(file, 'ten\n5 o next\n');
    expect((await readRecords(file, all.nextOffset)).records).toEqual([rec(4, 'half-written'), rec(5, 'next')]);

    const second = Buffer.byteLength(formatRecord(records[0]!));
    expect((await readRecords(file, second)).records[0]).toEqual(records[1]);
  });

  it('returns at most about maxBytes, but always a whole record even if it is longer', async () => {
    const file = path.join(dir, 'r.log');
    const long = 'x'.repeat(5000);
    write(file, [rec(1, 'short'), rec(2, long), rec(3, 'after')]);
    const first = await readRecords(file, 0, 100);
    expect(first.records).toEqual([rec(1, 'short')]);
    const second = await readRecords(file, first.nextOffset, 100);
    expect(second.records).toEqual([rec(2, long)]);
    expect((await readRecords(file, second.nextOffset, 100)).records).toEqual([rec(3, 'after')]);
  });

  it('keeps lines that are not records as text, and treats a missing file as empty', async () => {
    const file = path.join(dir, 'r.log');
    fs.writeFileSync(file, '7 e err\nplain text\n');
    expect((await readRecords(file)).records).toEqual([rec(7, 'err', 'e'), rec(7, 'plain text')]);
    expect(await readRecords(path.join(dir, 'nope.log'), 12)).toEqual({ records: [], nextOffset: 12 });
  });
});

describe('lastLines', () => {
  it('returns the last n complete records, ignoring a partial tail', async () => {
    const file = path.join(dir, 'r.log');
    const records = Array.from({ length: 10 }, (_, i) => rec(i, `line ${i}`));
    write(file, records, '99 o partial');
    expect(await lastLines(file, 3)).toEqual(records.slice(7));
    expect(await lastLines(file, 50)).toEqual(records);
    expect(await lastLines(file, 0)).toEqual([]);
    expect(await lastLines(path.join(dir, 'missing.log'), 5)).toEqual([]);
    fs.writeFileSync(file, 'partial only');
    expect(await lastLines(file, 5)).toEqual([]);
  });

  it('reads backwards across chunk boundaries in a large file', async () => {
    const file = path.join(dir, 'big.log');
    const records = Array.from({ length: 20_000 }, (_, i) => rec(1000 + i, `step=${i} ${'ü'.repeat(i % 7)}`));
    write(file, records);
    expect(await lastLines(file, 1)).toEqual(records.slice(-1));
    expect(await lastLines(file, 5000)).toEqual(records.slice(-5000));
    expect(await lastLines(file, 30_000)).toEqual(records);
  });
});

describe('interleave', () => {
  it('merges by time; equal times keep rank order; each rank keeps its own order', () => {
    const merged = interleave([
      { rank: 1, records: [rec(1, 'r1-a'), rec(5, 'r1-b'), rec(5, 'r1-c')] },
      { rank: 0, records: [rec(1, 'r0-a'), rec(5, 'r0-b'), rec(9, 'r0-c')] },
      { rank: 2, records: [rec(7, 'r2-a'), rec(3, 'r2-back-in-time')] },
    ]);
    expect(merged.map((r) => r.text)).toEqual([
      'r0-a', 'r1-a', 'r0-b', 'r1-b', 'r1-c', 'r2-a', 'r2-back-in-time', 'r0-c',
    ]);
    expect(merged[1]).toEqual({ ts: 1, stream: 'o', text: 'r1-a', rank: 1 });
    expect(interleave([])).toEqual([]);
  });
});

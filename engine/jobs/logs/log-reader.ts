/**
 * Reading rank log files in bounded chunks. Only complete lines (ending in `\n`) are returned:
 * a writer may be halfway through a record, and its tail must be read again once finished.
 */
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parseRecord, type LogRecord } from './log-format.js';

/** Chunk for sequential reads (tailing, search): large enough to amortise the syscalls. */
export const READ_CHUNK_BYTES = 1 << 20;
/** Chunk for short reads (one page, the last lines): a page is usually a few KiB. */
export const PAGE_CHUNK_BYTES = 64 * 1024;

const NL = 10;

export interface ReadResult {
  records: LogRecord[];
  /** Byte offset just after the last complete line read; where the next read starts. */
  nextOffset: number;
}

export interface RankedRecord extends LogRecord {
  rank: number;
}

/** Reads complete records from `fromOffset`, about `maxBytes` at a time; a missing file is empty. */
export async function readRecords(file: string, fromOffset = 0, maxBytes = READ_CHUNK_BYTES): Promise<ReadResult> {
  const fh = await openIfExists(file);
  if (!fh) return { records: [], nextOffset: fromOffset };
  try {
    return await readRecordsFrom(fh, fromOffset, maxBytes);
  } finally {
    await fh.close();
  }
}

export async function readRecordsFrom(fh: FileHandle, fromOffset: number, maxBytes = READ_CHUNK_BYTES): Promise<ReadResult> {
  const { lines, nextOffset } = await readLinesFrom(fh, fromOffset, maxBytes);
  return { records: toRecords(lines), nextOffset };
}

/**
 * Complete lines from `fromOffset` within `maxBytes`, or, if one line is longer than that, that
 * whole line (the buffer grows until its newline arrives). Empty at EOF or on a partial line.
 */
export async function readLinesFrom(
  fh: FileHandle,
  fromOffset: number,
  maxBytes = READ_CHUNK_BYTES,
): Promise<{ lines: string[]; nextOffset: number }> {
  let buf = Buffer.allocUnsafe(Math.max(1, maxBytes));
  let filled = 0;
  for (;;) {
    const searched = filled;
    const { bytesRead } = await fh.read(buf, filled, buf.length - filled, fromOffset + filled);
    filled += bytesRead;
    // Grown for one long line: stop at its end. Otherwise take all complete lines in view.
    // (lastIndexOf with a negative offset would search from the end of the buffer: guarded.)
    const nl =
      searched > 0 ? buf.subarray(0, filled).indexOf(NL, searched) : filled > 0 ? buf.lastIndexOf(NL, filled - 1) : -1;
    if (nl >= 0) {
      // 0x0A never occurs inside a UTF-8 sequence, so decoding all lines at once is safe.
      return { lines: buf.toString('utf8', 0, nl).split('\n'), nextOffset: fromOffset + nl + 1 };
    }
    if (bytesRead === 0 || filled < buf.length) return { lines: [], nextOffset: fromOffset };
    const bigger = Buffer.allocUnsafe(buf.length * 2);
    buf.copy(bigger, 0, 0, filled);
    buf = bigger;
  }
}

/**
 * Lines that are not records (a foreign writer, a damaged file) are kept as stdout text with
 * the previous timestamp, so line numbers always count physical lines and nothing is hidden.
 */
export function toRecords(lines: readonly string[], prevTs = 0): LogRecord[] {
  const out: LogRecord[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const rec = parseRecord(line) ?? { ts: prevTs, stream: 'o' as const, text: line };
    prevTs = rec.ts;
    out[i] = rec;
  }
  return out;
}

/** The last `n` complete records of a file, reading backwards so a huge file costs little. */
export async function lastLines(file: string, n: number): Promise<LogRecord[]> {
  if (n <= 0) return [];
  const fh = await openIfExists(file);
  if (!fh) return [];
  try {
    const size = (await fh.stat()).size;
    const chunks: Buffer[] = [];
    let pos = size;
    let end = -1; // absolute offset just after the last '\n'
    let newlines = 0;
    // n lines need n + 1 newlines in view (the extra one marks where the first line starts).
    while (pos > 0 && newlines <= n) {
      const len = Math.min(PAGE_CHUNK_BYTES, pos);
      pos -= len;
      const buf = Buffer.allocUnsafe(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      const chunk = buf.subarray(0, bytesRead);
      chunks.unshift(chunk);
      let upto = chunk.length;
      if (end < 0) {
        const nl = chunk.lastIndexOf(NL);
        if (nl < 0) continue;
        end = pos + nl + 1;
        upto = nl + 1;
      }
      newlines += countNewlines(chunk, 0, upto);
    }
    if (end < 0) return [];
    const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const stop = end - pos - 1; // the final '\n'
    let start = 0;
    for (let j = stop - 1, seen = 0; j >= 0; j--) {
      if (all[j] === NL && ++seen === n) {
        start = j + 1;
        break;
      }
    }
    // Reading stopped mid-file only with n + 1 newlines in view, so `start` was found then.
    return toRecords(all.toString('utf8', start, stop).split('\n'));
  } finally {
    await fh.close();
  }
}

export function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = (buf as Buffer).indexOf(NL, from); i >= 0 && i < to; i = (buf as Buffer).indexOf(NL, i + 1)) count++;
  return count;
}

/**
 * Merges per-rank lists by timestamp. Each rank keeps its own order even if its clock stepped
 * back, and equal timestamps come out in rank order, so the merge is deterministic.
 */
export function interleave(perRank: ReadonlyArray<{ rank: number; records: readonly LogRecord[] }>): RankedRecord[] {
  const lists = [...perRank].sort((a, b) => a.rank - b.rank);
  const pos = lists.map(() => 0);
  const total = lists.reduce((sum, l) => sum + l.records.length, 0);
  const out: RankedRecord[] = [];
  while (out.length < total) {
    let best = -1;
    let bestTs = Infinity;
    for (let k = 0; k < lists.length; k++) {
      const rec = lists[k]!.records[pos[k]!];
      if (rec && (best < 0 || rec.ts < bestTs)) {
        best = k;
        bestTs = rec.ts;
      }
    }
    const list = lists[best]!;
    out.push({ ...list.records[pos[best]!]!, rank: list.rank });
    pos[best] = pos[best]! + 1;
  }
  return out;
}

export async function openIfExists(file: string): Promise<FileHandle | null> {
  try {
    return await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

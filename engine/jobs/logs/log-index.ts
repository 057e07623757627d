/**
 * Random access into rank logs of a million lines and more, without a row per line anywhere.
 *
 * Per rank a sparse index remembers the byte offset of every `every`-th line; a page read seeks
 * to the checkpoint before it and skips at most `every - 1` lines. The index is built lazily by
 * scanning only for newline bytes (no decoding) and extended as the file grows. With `persist`
 * it is also saved as `rank-N.idx` beside the log so reopening a finished job skips the scan.
 * Line numbers count physical lines from 0, the same in `readPage`, cursors and `searchLogs`.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { parseRecord, stripAnsi, type LogRecord } from './log-format.js';
import {
  PAGE_CHUNK_BYTES,
  READ_CHUNK_BYTES,
  interleave,
  openIfExists,
  readLinesFrom,
  toRecords,
  type RankedRecord,
} from './log-reader.js';
import { listRankLogs, rankLogPath } from './log-tailer.js';

export { lastLines } from './log-reader.js';

export interface LogIndexOptions {
  /** Lines between checkpoints: memory is 8 bytes per checkpoint, a page skips < `every` lines. */
  every?: number;
  /** Save the index as `rank-N.idx` next to the log (skipped silently if the dir is read-only). */
  persist?: boolean;
}

export interface LogPage {
  rank: number;
  fromLine: number;
  /** `fromLine` of the following page. */
  nextLine: number;
  /** Complete lines in the file when the page was read. */
  totalLines: number;
  records: LogRecord[];
}

/** rank → line number; ranks not listed are at line 0 (or at their end when paging backward). */
export type MergedCursor = Record<number, number>;

export interface MergedPage {
  records: RankedRecord[];
  /** Page backward from here for the previous page. */
  start: MergedCursor;
  /** Page forward from here for the next page. */
  end: MergedCursor;
}

export interface SearchHit {
  rank: number;
  line: number;
  record: LogRecord;
}

interface RankIndex {
  ino: number;
  /** Bytes covered: just after the last complete line seen. */
  size: number;
  lines: number;
  /** checkpoints[k] = byte offset of line k * every. */
  checkpoints: number[];
  saved: number;
}

const fresh = (ino: number): RankIndex => ({ ino, size: 0, lines: 0, checkpoints: [0], saved: 0 });

export class JobLogIndex {
  private readonly every: number;
  private readonly persist: boolean;
  private readonly state = new Map<number, RankIndex>();
  private readonly updating = new Map<number, Promise<RankIndex>>();

  constructor(
    readonly logDir: string,
    options: LogIndexOptions = {},
  ) {
    this.every = Math.max(1, Math.floor(options.every ?? 1000));
    this.persist = options.persist ?? false;
  }

  ranks(): Promise<number[]> {
    return listRankLogs(this.logDir);
  }

  async lineCount(rank: number): Promise<number> {
    return (await this.indexFor(rank)).lines;
  }

  /** `count` records from line `fromLine`; a negative `fromLine` counts from the end. */
  async readPage(rank: number, fromLine: number, count: number): Promise<LogPage> {
    const idx = await this.indexFor(rank);
    const from = fromLine < 0 ? Math.max(0, idx.lines + fromLine) : Math.min(fromLine, idx.lines);
    const want = Math.max(0, Math.min(count, idx.lines - from));
    const page: LogPage = { rank, fromLine: from, nextLine: from, totalLines: idx.lines, records: [] };
    if (want === 0) return page;
    const fh = await openIfExists(rankLogPath(this.logDir, rank));
    if (!fh) return page;
    try {
      let offset = await skipLines(fh, idx.checkpoints[Math.floor(from / this.every)] ?? 0, from % this.every);
      const lines: string[] = [];
      while (lines.length < want) {
        const read = await readLinesFrom(fh, offset, PAGE_CHUNK_BYTES);
        if (read.nextOffset === offset) break;
        for (const line of read.lines) if (lines.length < want) lines.push(line);
        offset = read.nextOffset;
      }
      page.records = toRecords(lines);
      page.nextLine = from + lines.length;
      return page;
    } finally {
      await fh.close();
    }
  }

  /**
   * Up to `count` records of all ranks merged by time. Forward from `cursor` (null = start), or
   * backward to it (null = the end: the latest lines). Each rank contributes at most `count`.
   */
  async readMergedPage(cursor: MergedCursor | null, count: number, opts: { backward?: boolean } = {}): Promise<MergedPage> {
    const ranks = await this.ranks();
    const at = async (rank: number) => cursor?.[rank] ?? (opts.backward ? await this.lineCount(rank) : 0);
    const pages = await Promise.all(
      ranks.map(async (rank) => {
        const pos = await at(rank);
        const from = opts.backward ? Math.max(0, pos - count) : pos;
        const page = await this.readPage(rank, from, opts.backward ? pos - from : count);
        return { rank, from: page.fromLine, records: page.records };
      }),
    );
    const merged = interleave(pages);
    const records = opts.backward ? merged.slice(Math.max(0, merged.length - count)) : merged.slice(0, count);
    const start: MergedCursor = {};
    const end: MergedCursor = {};
    for (const p of pages) {
      const taken = records.reduce((n, r) => (r.rank === p.rank ? n + 1 : n), 0);
      const skipped = opts.backward ? p.records.length - taken : 0;
      start[p.rank] = p.from + skipped;
      end[p.rank] = p.from + skipped + taken;
    }
    return { records, start, end };
  }

  /** Serialises updates per rank: concurrent readers share one scan. */
  private indexFor(rank: number): Promise<RankIndex> {
    const prev = this.updating.get(rank);
    const next = (prev ? prev.catch(() => undefined) : Promise.resolve()).then(() => this.update(rank));
    this.updating.set(rank, next);
    return next;
  }

  private async update(rank: number): Promise<RankIndex> {
    const file = rankLogPath(this.logDir, rank);
    const st = await fsp.stat(file).catch(() => null);
    if (!st) {
      this.state.delete(rank);
      return fresh(0);
    }
    let idx = this.state.get(rank) ?? (this.persist ? await this.load(rank, st) : null) ?? fresh(st.ino);
    // Logs only grow: a different or shorter file was replaced, so its index is worthless.
    if (idx.ino !== st.ino || st.size < idx.size) idx = fresh(st.ino);
    if (st.size > idx.size) await this.extend(file, idx, st.size);
    this.state.set(rank, idx);
    if (this.persist && idx.checkpoints.length > idx.saved) await this.save(rank, idx);
    return idx;
  }

  private async extend(file: string, idx: RankIndex, size: number): Promise<void> {
    const fh = await openIfExists(file);
    if (!fh) return;
    try {
      const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let pos = idx.size;
      while (pos < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
        if (bytesRead === 0) break;
        for (let i = buf.indexOf(10); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) {
          idx.lines++;
          idx.size = pos + i + 1;
          if (idx.lines % this.every === 0) idx.checkpoints.push(idx.size);
        }
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
  }

  private idxPath(rank: number): string {
    return path.join(this.logDir, `rank-${rank}.idx`);
  }

  private async load(rank: number, st: { ino: number; size: number }): Promise<RankIndex | null> {
    try {
      const raw = JSON.parse(await fsp.readFile(this.idxPath(rank), 'utf8')) as Partial<RankIndex> & { v?: number; every?: number };
      const cps = raw.checkpoints;
      const ok =
        raw.v === 1 && raw.every === this.every && raw.ino === st.ino &&
        Number.isSafeInteger(raw.size) && Number.isSafeInteger(raw.lines) && raw.size! <= st.size &&
        Array.isArray(cps) && cps.length === Math.floor(raw.lines! / this.every) + 1 && cps[0] === 0 &&
        cps.every((n, i) => Number.isSafeInteger(n) && (i === 0 || n > cps[i - 1]!) && n <= raw.size!);
      if (!ok || !(await endsLineAt(rankLogPath(this.logDir, rank), raw.size!))) return null;
      return { ino: st.ino, size: raw.size!, lines: raw.lines!, checkpoints: cps, saved: cps.length };
    } catch {
      return null; // missing or damaged: rebuild by scanning
    }
  }

  private async save(rank: number, idx: RankIndex): Promise<void> {
    const { ino, size, lines, checkpoints } = idx;
    const target = this.idxPath(rank);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      await fsp.writeFile(tmp, JSON.stringify({ v: 1, every: this.every, ino, size, lines, checkpoints }));
      await fsp.rename(tmp, target); // atomic: a reader never sees half an index
      idx.saved = checkpoints.length;
    } catch {
      await fsp.rm(tmp, { force: true }).catch(() => undefined); // optional cache; reading still works
    }
  }
}

async function endsLineAt(file: string, size: number): Promise<boolean> {
  if (size === 0) return true;
  const fh = await openIfExists(file);
  if (!fh) return false;
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    await fh.close();
  }
}

/** Byte offset after skipping `n` lines from `offset`. */
async function skipLines(fh: fsp.FileHandle, offset: number, n: number): Promise<number> {
  const buf = Buffer.allocUnsafe(PAGE_CHUNK_BYTES);
  while (n > 0) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    if (bytesRead === 0) return offset;
    let i = buf.indexOf(10);
    for (; i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) if (--n === 0) return offset + i + 1;
    offset += bytesRead;
  }
  return offset;
}

/**
 * Case-insensitive substring search over the text users see (ANSI stripped), streaming each
 * rank file in chunks. Hits come in rank order, then line order; at most `limit`.
 */
export async function searchLogs(
  logDir: string,
  query: string,
  opts: { rank?: number; limit?: number; signal?: AbortSignal } = {},
): Promise<SearchHit[]> {
  const needle = query.toLowerCase();
  const limit = opts.limit ?? 1000;
  const hits: SearchHit[] = [];
  if (needle === '' || limit <= 0) return hits;
  const ranks = opts.rank === undefined ? await listRankLogs(logDir) : [opts.rank];
  for (const rank of ranks) {
    const fh = await openIfExists(rankLogPath(logDir, rank));
    if (!fh) continue;
    try {
      let offset = 0;
      let line = 0;
      for (;;) {
        opts.signal?.throwIfAborted();
        const read = await readLinesFrom(fh, offset, READ_CHUNK_BYTES);
        if (read.nextOffset === offset) break;
        for (const text of read.lines) {
          const record = parseRecord(text) ?? { ts: 0, stream: 'o' as const, text };
          if (stripAnsi(record.text).toLowerCase().includes(needle)) {
            hits.push({ rank, line, record });
            if (hits.length >= limit) return hits;
          }
          line++;
        }
        offset = read.nextOffset;
      }
    } finally {
      await fh.close();
    }
  }
  return hits;
}

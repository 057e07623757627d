/**
 * Follows every `rank-<N>.log` of a job while it runs and hands new complete records to a
 * callback, in file order per rank, in batches of at most one read chunk.
 *
 * fs.watch makes it prompt; a ~250 ms poll makes it correct where fs.watch is silent (network
 * and FUSE filesystems, bind mounts written from containers). All work runs in one serial loop,
 * so a rank's batches are never delivered out of order or twice.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { LogRecord } from './log-format.js';
import { countNewlines, READ_CHUNK_BYTES, readRecordsFrom } from './log-reader.js';

export const RANK_LOG_PATTERN = /^rank-(\d+)\.log$/;

export function rankLogPath(logDir: string, rank: number): string {
  return path.join(logDir, `rank-${rank}.log`);
}

/** The ranks that have a log file in `logDir`, ascending; none if the dir does not exist yet. */
export async function listRankLogs(logDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fsp.readdir(logDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const ranks: number[] = [];
  for (const name of names) {
    const m = RANK_LOG_PATTERN.exec(name);
    if (m) ranks.push(Number(m[1]));
  }
  return ranks.sort((a, b) => a - b);
}

/** rank → byte offset of the first record not yet delivered. */
export type LogOffsets = Record<number, number>;

/** Where the tail of one rank stands: the byte offset and how many lines lie before it. */
export interface TailPosition {
  rank: number;
  offset: number;
  line: number;
}

export interface TailOptions {
  logDir: string;
  /** `firstLine`: the 0-based line of `records[0]` in the rank's file. */
  onRecords(rank: number, records: LogRecord[], firstLine: number): void;
  /** Resume point from an earlier `positions()`; ranks not listed start at 0. */
  fromPositions?: readonly TailPosition[];
  /** Resume point from an earlier `offsets()` (line numbers are counted from the files). */
  fromOffsets?: Readonly<LogOffsets>;
  pollMs?: number;
  maxBatchBytes?: number;
  /** Read errors and callback throws; the tail keeps going. Defaults to console.warn. */
  onError?(err: unknown): void;
}

export interface LogTail {
  /** Delivers everything complete at the time of the call, then resolves (e.g. at job exit). */
  poll(): Promise<void>;
  offsets(): LogOffsets;
  /** Offsets with line numbers, for every rank seen. */
  positions(): TailPosition[];
  /** No callback runs after this resolves. The poll timer keeps the process alive until then. */
  stop(): Promise<void>;
}

const MAX_WATCH_FAILURES = 3;

export function tailJobLogs(options: TailOptions): LogTail {
  const { logDir, onRecords } = options;
  const pollMs = options.pollMs ?? 250;
  const maxBatchBytes = options.maxBatchBytes ?? READ_CHUNK_BYTES;
  const report = options.onError ?? ((err: unknown) => console.warn(`log tail ${logDir}:`, err));
  const offsets = new Map<number, number>();
  /** Lines before the offset; absent until counted for a rank resumed from a bare offset. */
  const lines = new Map<number, number>();
  const inodes = new Map<number, number>();
  for (const [rank, offset] of Object.entries(options.fromOffsets ?? {})) offsets.set(Number(rank), offset);
  for (const p of options.fromPositions ?? []) {
    offsets.set(p.rank, p.offset);
    lines.set(p.rank, p.line);
  }

  let stopped = false;
  let watcher: fs.FSWatcher | null = null;
  let watchFailures = 0;
  let loop: Promise<void> | null = null;
  let waiters: Array<() => void> = [];

  // Callers are resolved only by a scan that started after they asked.
  const schedule = (): Promise<void> =>
    new Promise((resolve) => {
      if (stopped) return resolve();
      waiters.push(resolve);
      loop ??= runLoop();
    });

  async function runLoop(): Promise<void> {
    while (waiters.length > 0 && !stopped) {
      const batch = waiters;
      waiters = [];
      try {
        await scanOnce();
      } catch (err) {
        report(err);
      }
      for (const resolve of batch) resolve();
    }
    loop = null;
    for (const resolve of waiters.splice(0)) resolve();
  }

  async function scanOnce(): Promise<void> {
    ensureWatcher();
    for (const rank of await listRankLogs(logDir)) {
      if (stopped) return;
      try {
        await drainRank(rank);
      } catch (err) {
        report(err);
      }
    }
  }

  async function drainRank(rank: number): Promise<void> {
    const file = rankLogPath(logDir, rank);
    const st = await fsp.stat(file).catch(() => null);
    if (!st) return;
    let offset = offsets.get(rank) ?? 0;
    // Rank files only grow: a shorter or different file replaced it (job re-run in the same
    // dir), so start over. The inode is only known from the first look of this tail on.
    const ino = inodes.get(rank);
    if (st.size < offset || (ino !== undefined && ino !== st.ino)) {
      offset = 0;
      lines.set(rank, 0);
    }
    inodes.set(rank, st.ino);
    offsets.set(rank, offset);
    if (!lines.has(rank) && offset === 0) lines.set(rank, 0);
    if (st.size === offset) return;
    const fh = await fsp.open(file, 'r');
    try {
      if (!lines.has(rank)) lines.set(rank, await linesBefore(fh, offset));
      // Stop at the size seen above so one busy rank cannot starve the others.
      while (!stopped && offset < st.size) {
        const { records, nextOffset } = await readRecordsFrom(fh, offset, maxBatchBytes);
        if (stopped || nextOffset === offset) break;
        offset = nextOffset;
        offsets.set(rank, offset);
        const firstLine = lines.get(rank)!;
        lines.set(rank, firstLine + records.length);
        try {
          onRecords(rank, records, firstLine);
        } catch (err) {
          report(err);
        }
      }
    } finally {
      await fh.close();
    }
  }

  function ensureWatcher(): void {
    if (watcher || stopped || watchFailures >= MAX_WATCH_FAILURES) return;
    try {
      const w = fs.watch(logDir, { persistent: false }, () => void schedule());
      w.on('error', () => {
        w.close();
        if (watcher === w) watcher = null;
        watchFailures++;
      });
      watcher = w;
    } catch (err) {
      // The dir may not exist yet (retry next poll); other failures mean polling alone.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') watchFailures++;
    }
  }

  const timer = setInterval(() => void schedule(), pollMs);
  void schedule();

  return {
    poll: schedule,
    offsets: () => Object.fromEntries(offsets),
    positions: () => [...offsets].filter(([rank]) => lines.has(rank)).map(([rank, offset]) => ({ rank, offset, line: lines.get(rank)! })),
    async stop() {
      stopped = true;
      clearInterval(timer);
      watcher?.close();
      watcher = null;
      await loop;
    },
  };
}

/** Lines in the first `offset` bytes of a file (a resume from a bare byte offset, counted once). */
async function linesBefore(fh: fsp.FileHandle, offset: number): Promise<number> {
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let count = 0;
  for (let pos = 0; pos < offset; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
    if (bytesRead === 0) break;
    count += countNewlines(buf, 0, bytesRead);
    pos += bytesRead;
  }
  return count;
}

/**
 * Copies one node container's log (kept and timestamped by the engine, so it outlives the app)
 * into the job's per-rank files in the log-format.ts format the job service tails. Lines are
 * routed by the launcher's rank tag; its "K …" lines update the node's record instead. A cursor
 * (timestamp + count) saved with the record lets a restarted engine resume without gaps; what
 * was written after the last save (the app was killed in between) is recognised while the log
 * is read again, so no line is written twice either.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { RecordEncoder, type LogStream } from '../../jobs/logs/log-format.js';
import type { ContainerFiles, NodeRecord } from './job-record.js';
import { writeNode } from './job-record.js';
import { parseLauncherLine } from './launcher-script.js';

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;

/**
 * "2024-05-01T10:00:00.123456789Z text" → ns since the epoch and the text (Podman trims zeros and
 * may use an offset). `coarse`: no fraction at all, as Podman's API (before 6) sends whole seconds.
 */
export function splitTimestamp(line: string): { ns: bigint; text: string; coarse: boolean } | null {
  const m = TS.exec(line);
  if (!m) return null;
  const secondsMs = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(secondsMs)) return null;
  return { ns: BigInt(secondsMs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0')), text: line.slice(m[0].length), coarse: m[2] === undefined };
}

/** ns → ms with µs precision (enough to order two lines of one engine). */
export const nsToMs = (ns: bigint) => Number(ns / 1000n) / 1000;
/** The engine's `since` parameter: "<seconds>.<nanoseconds>". */
export const sinceParam = (ns: bigint) => `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;

const SAVE_EVERY_MS = 200;

export class NodeLogCopier {
  private readonly encoders = new Map<string, RecordEncoder>();
  private readonly fds = new Map<number, number>();
  private readonly decoders = { o: new StringDecoder('utf8'), e: new StringDecoder('utf8') };
  private readonly partial = { o: '', e: '' };
  private tsMs = 0;
  /** The cursor this pass resumed from, and how many entries at its timestamp were seen again. */
  private resumed: { ns: bigint; count: number } | null = null;
  private seenAtCursor = 0;
  private lastSave = 0;
  private saveTimer: NodeJS.Timeout | null = null;
  /** Records already in a rank's file beyond its saved size, expected again in this order. */
  private readonly ahead = new Map<number, string[]>();
  private readonly sizes: Record<string, number>;

  constructor(
    private readonly nodeRank: number,
    private readonly numProcPerNode: number,
    private readonly files: ContainerFiles,
    readonly record: NodeRecord,
    /** A rank started or ended, or the launcher began stopping. */
    private readonly onChange: () => void,
  ) {
    this.sizes = { ...(record.sizes ?? {}) };
    for (let i = 0; i < numProcPerNode; i++) {
      const rank = nodeRank * numProcPerNode + i;
      const extra = readFrom(files.rankLog(rank), this.sizes[rank] ?? 0);
      if (extra) this.ahead.set(rank, extra.split(/(?<=\n)/));
      this.sizes[rank] = (this.sizes[rank] ?? 0) + Buffer.byteLength(extra);
    }
  }

  /** Follows the log until the engine closes it (the container stopped, or the engine went away). */
  async follow(container: Docker.Container, signal: AbortSignal): Promise<void> {
    this.seenAtCursor = 0;
    // A stream that broke off mid-entry is read again from the cursor (the last whole entry):
    // a fragment kept from it would be glued to that entry and hide it (a lost "K exit").
    this.partial.o = this.partial.e = '';
    this.decoders.o = new StringDecoder('utf8');
    this.decoders.e = new StringDecoder('utf8');
    const cursor = this.record.cursor;
    this.resumed = cursor ? { ns: BigInt(cursor.ns), count: cursor.count } : null;
    const stream = (await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, since: cursor ? sinceParam(BigInt(cursor.ns)) : 0, abortSignal: signal })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      let buf: Buffer = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        const out = new Map<number, string>();
        let changed = false;
        // Docker's multiplexed framing: [stream, 0, 0, 0, size (u32 BE)] + payload.
        while (buf.length >= 8) {
          const size = buf.readUInt32BE(4);
          if (buf.length < 8 + size) break;
          const stream: LogStream = buf[0] === 2 ? 'e' : 'o';
          const text = this.partial[stream] + this.decoders[stream].write(buf.subarray(8, 8 + size));
          buf = buf.subarray(8 + size);
          const lines = text.split('\n');
          this.partial[stream] = lines.pop()!;
          for (const line of lines) changed = this.line(line, stream, out) || changed;
        }
        this.write(out);
        this.save(changed);
        if (changed) this.onChange();
      });
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    this.save(true);
  }

  /** Returns true when the node's record changed in a way the watcher must see. */
  private line(line: string, stream: LogStream, out: Map<number, string>): boolean {
    const parsed = splitTimestamp(line);
    if (!parsed) return false; // not an engine log entry (never expected with timestamps on)
    const { ns, text } = parsed;
    // The engine answers from `since` on, inclusive: entries up to the resumed cursor were copied before.
    const from = this.resumed;
    if (from && ns < from.ns) return false;
    if (from && ns === from.ns && this.seenAtCursor < from.count) {
      this.seenAtCursor++;
      return false;
    }
    const cursor = this.record.cursor;
    this.record.cursor = cursor && BigInt(cursor.ns) === ns ? { ns: cursor.ns, count: cursor.count + 1 } : { ns: String(ns), count: 1 };
    if (parsed.coarse && !this.record.coarseClock) this.record.coarseClock = true;
    this.tsMs = this.record.coarseClock ? this.refine(nsToMs(ns)) : nsToMs(ns);
    const ranks = this.record.ranks;
    const msg = parseLauncherLine(text);
    switch (msg.kind) {
      case 'output':
        if (msg.localRank < this.numProcPerNode) {
          this.emit(msg.localRank, stream, msg.text, out);
          return false;
        }
        this.emit(0, stream, text, out);
        return false;
      case 'other':
        this.emit(0, stream, msg.text, out);
        return false;
      case 'started':
        if (!ranks[msg.localRank] || ranks[msg.localRank]!.started) return false;
        ranks[msg.localRank]!.started = true;
        return true;
      case 'exit':
        if (!ranks[msg.localRank] || ranks[msg.localRank]!.exit) return false;
        // Whether the launcher had announced its stop is taken from the log's order: the failed
        // rank's exit and the announcement it causes can carry the same timestamp.
        ranks[msg.localRank]!.exit = { code: msg.code, ts: this.tsMs, phase: 'main', afterStopping: this.record.stopping !== null };
        return true;
      case 'setup':
        if (msg.code === 0) return false;
        // Local rank 0 ran the setup (its output is in rank 0's log); the others never started.
        ranks.forEach((r, i) => (r.exit ??= { code: msg.code, ts: this.tsMs, phase: i === 0 ? 'setup' : 'never', afterStopping: this.record.stopping !== null }));
        return true;
      case 'stopping':
        if (this.record.stopping !== null) return false;
        this.record.stopping = { at: this.tsMs, why: msg.why === 'rank-failed' ? 'rank-failed' : 'cancel' };
        return true;
      case 'killing':
        return false;
      case 'oom':
        if (!ranks[msg.localRank]) return false;
        ranks[msg.localRank]!.oomKilled = true;
        return false; // its exit follows
    }
  }

  /**
   * An engine that stamps whole seconds: the time within that second is taken from when the
   * line arrived (exact enough while following live; a line read again later gets the second's
   * end), never going back within the node, so ranks still interleave in the order they wrote.
   */
  private refine(secondMs: number): number {
    const within = Math.min(Math.max(Date.now(), secondMs), secondMs + 999);
    return this.tsMs >= secondMs && this.tsMs < secondMs + 1000 ? Math.max(this.tsMs, within) : within;
  }

  private emit(localRank: number, stream: LogStream, text: string, out: Map<number, string>): void {
    const globalRank = this.nodeRank * this.numProcPerNode + localRank;
    const key = `${globalRank}${stream}`;
    let encoder = this.encoders.get(key);
    if (!encoder) {
      encoder = new RecordEncoder(stream, () => Math.trunc(this.tsMs));
      this.encoders.set(key, encoder);
    }
    // The encoder splits on \r too (progress bars), as the local backend's wrapper does.
    let records = encoder.push(text + '\n');
    const ahead = this.ahead.get(globalRank);
    if (ahead && records) records = skipAhead(records, ahead, () => this.ahead.delete(globalRank));
    if (records) out.set(globalRank, (out.get(globalRank) ?? '') + records);
  }

  private write(out: Map<number, string>): void {
    for (const [rank, text] of out) {
      let fd = this.fds.get(rank);
      if (fd === undefined) {
        fd = openSync(this.files.rankLog(rank), 'a');
        this.fds.set(rank, fd);
      }
      // One write per rank per batch on an O_APPEND fd: a tailer never sees half a record.
      writeSync(fd, text);
      this.sizes[rank] = (this.sizes[rank] ?? 0) + Buffer.byteLength(text);
    }
  }

  /** The record (with the cursor) right away when it matters, else at most every 200 ms. */
  private save(now: boolean): void {
    if (now || Date.now() - this.lastSave >= SAVE_EVERY_MS) {
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.lastSave = Date.now();
      this.record.sizes = { ...this.sizes };
      writeNode(this.files, this.nodeRank, this.record);
    } else if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => this.save(true), SAVE_EVERY_MS);
      this.saveTimer.unref();
    }
  }

  /** Saves the cursor and releases the files (detach, or the node is done). */
  close(): void {
    if (this.saveTimer) this.save(true);
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** Makes sure every rank of the node has a log file, so a tailer can open it at once. */
  touch(): void {
    for (let i = 0; i < this.numProcPerNode; i++) closeSync(openSync(this.files.rankLog(this.nodeRank * this.numProcPerNode + i), 'a'));
  }
}

/** The file's bytes from `offset` to its end ('' when there are none). */
export function readFrom(file: string, offset: number): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return '';
  }
  if (size <= offset) return '';
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

/** Drops the records that are already in the file (they match what is `ahead`, in order); returns the rest. */
export function skipAhead(records: string, ahead: string[], drained: () => void): string {
  const lines = records.split(/(?<=\n)/);
  let i = 0;
  // Compared without their timestamps: an engine that stamps whole seconds gets them refined by
  // arrival time (refine() above), which differs when the log is read again.
  const body = (record: string) => record.slice(record.indexOf(' ') + 1);
  while (i < lines.length && ahead.length && body(lines[i]!) === body(ahead[0]!)) {
    ahead.shift();
    i++;
  }
  // A record that differs means the file's tail is not ours to match: stop matching altogether.
  if (!ahead.length || i < lines.length) drained();
  return lines.slice(i).join('');
}

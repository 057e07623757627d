/**
 * Copies one trainer node's pod log (kept by the cluster, so it outlives the app) into
 * `<jobDir>/logs/rank-<node>.log` in the log-format.ts format the job service tails. The API
 * server adds an RFC 3339 nanosecond timestamp to each line; the cursor (pod uid, last
 * timestamp, how many lines had it, the rank file's size) is saved beside the job after each
 * batch, so a restarted engine asks for the log from that second on and skips what it already
 * has — including lines written after the last save, recognised by comparing with the file.
 */
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readFrom, skipAhead, splitTimestamp, nsToMs } from '../container/log-copier.js';
import { readJson } from '../local-process/job-files.js';
import { RecordEncoder } from '../../jobs/logs/log-format.js';
import type { KubeClient } from './kube-client.js';
import { NODE } from './manifest-adapt.js';

export interface LogCursor {
  podUid: string;
  /** ns since the epoch of the last line copied (decimal string; bigint does not JSON). */
  ns: string;
  /** Lines copied that carry exactly `ns`. */
  count: number;
  /** The rank file's size when the cursor was saved. */
  size: number;
}

/** RFC 3339 seconds (what the log API's sinceTime takes) at or before `ns`. */
export function sinceTimeOf(ns: bigint): string {
  return new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class PodLogCopier {
  private cursor: LogCursor | null;
  private ahead: string[] = [];
  private size: number;
  private fd: number | null = null;
  private readonly encoder: RecordEncoder;
  private tsMs = 0;
  private partial = '';
  /** The cursor this pass resumed from, and how many lines at its timestamp were seen again. */
  private resumed: { ns: bigint; count: number } | null = null;
  private seenAtCursor = 0;

  constructor(
    private readonly rankFile: string,
    private readonly cursorFile: string,
  ) {
    this.cursor = readJson<LogCursor>(cursorFile);
    this.size = this.cursor?.size ?? 0;
    const extra = readFrom(rankFile, this.size);
    if (extra) this.ahead = extra.split(/(?<=\n)/);
    this.size += Buffer.byteLength(extra);
    this.encoder = new RecordEncoder('o', () => Math.trunc(this.tsMs));
    closeSync(openSync(rankFile, 'a')); // the tailer can open it at once
  }

  /** Streams the pod's log until the server ends it or `signal` aborts. */
  async follow(client: KubeClient, namespace: string, pod: { name: string; uid: string }, signal: AbortSignal, follow = true): Promise<void> {
    const same = this.cursor?.podUid === pod.uid;
    if (!same) {
      // A new pod for this node (a retry) starts its own log; what was ahead belonged to the old one.
      this.cursor = { podUid: pod.uid, ns: '0', count: 0, size: this.size };
      this.ahead = [];
    }
    const from = BigInt(this.cursor!.ns);
    this.resumed = from > 0n ? { ns: from, count: this.cursor!.count } : null;
    this.seenAtCursor = 0;
    this.partial = '';
    try {
      await client.streamLog(namespace, pod.name, NODE, { follow, ...(from > 0n ? { sinceTime: sinceTimeOf(from) } : {}) }, (chunk) => this.chunk(chunk), signal);
    } finally {
      this.save();
    }
  }

  private chunk(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    let out = '';
    for (const line of lines) out += this.line(line);
    if (out) {
      if (this.fd === null) this.fd = openSync(this.rankFile, 'a');
      // One write per batch on an O_APPEND fd: a tailer never sees half a record.
      writeSync(this.fd, out);
      this.size += Buffer.byteLength(out);
    }
    this.save();
  }

  private line(line: string): string {
    const parsed = splitTimestamp(line);
    if (!parsed) return '';
    const { ns, text } = parsed;
    const from = this.resumed;
    if (from && ns < from.ns) return '';
    if (from && ns === from.ns && this.seenAtCursor < from.count) {
      this.seenAtCursor++;
      return '';
    }
    const c = this.cursor!;
    this.cursor = BigInt(c.ns) === ns ? { ...c, count: c.count + 1 } : { ...c, ns: String(ns), count: 1 };
    this.tsMs = nsToMs(ns);
    let records = this.encoder.push(text + '\n');
    if (this.ahead.length && records) records = skipAhead(records, this.ahead, () => (this.ahead = []));
    return records;
  }

  /** Renamed into place without fsync (saved after every batch): an app crash loses nothing, a power cut a re-copy. */
  private save(): void {
    if (!this.cursor) return;
    const tmp = `${this.cursorFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...this.cursor, size: this.size }), { mode: 0o600 });
    renameSync(tmp, this.cursorFile);
  }

  /** The rank file's size as far as this copier knows (grows with every batch). */
  bytesWritten(): number {
    return this.size;
  }

  close(): void {
    this.save();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Drives a LogBuffer from the API: opens at the tail, pages older lines in as the user scrolls
 * up, appends live lines, and keeps the window bounded by dropping the end farther from what the
 * user is looking at. No DOM and no API client (the read is a function), so it is tested in node.
 *
 * `jobs.logs` cursors keep the direction they were made in: `{tail: n}` answers a cursor that
 * reads older lines (`{cursor, limit: n}`: the n lines before). So:
 * - older lines: always reachable from the first line held, if it carries such a cursor;
 * - live lines get one every `probeEvery` lines: a one-line tail read answers the newest line
 *   and the cursor before it; once that line is held, dropping the front can stop there;
 * - newer lines dropped from the end are not paged back in: the view reopens at the tail.
 */
import type { LogLine } from '../../../engine/api/contract';
import { DEFAULT_LIMITS, LogBuffer, type LogBufferLimits } from './log-buffer';

export interface LogPageRequest {
  cursor?: string;
  tail?: number;
  limit?: number;
}

export interface LogPageAnswer {
  lines: LogLine[];
  cursor: string;
  done: boolean;
}

export type ReadLogPage = (request: LogPageRequest) => Promise<LogPageAnswer>;

/** What a change did, for the view (it re-renders; the virtualizer keeps the place by key). */
export interface LogChange {
  reset: boolean;
  prepended: number;
  removedFront: number;
  appended: number;
  removedBack: number;
}

export interface PagerStatus {
  loading: 'initial' | 'older' | null;
  /** The last read failed: the API's message (cleared by the next successful read). */
  error: string | null;
}

export interface LogPagerOptions {
  pageSize?: number;
  limits?: LogBufferLimits;
  /** Live lines between cursor probes. */
  probeEvery?: number;
  /** At most one probe per this many ms. */
  probeIntervalMs?: number;
  errorText?: (err: unknown) => string;
}

const none = (): LogChange => ({ reset: false, prepended: 0, removedFront: 0, appended: 0, removedBack: 0 });

export class LogPager {
  readonly buffer: LogBuffer;
  readonly pageSize: number;
  status: PagerStatus = { loading: 'initial', error: null };
  private pendingLive: LogLine[] = [];
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  private viewport = { first: Number.MAX_SAFE_INTEGER, last: Number.MAX_SAFE_INTEGER };
  private probing = false;
  private lastProbe = Number.NEGATIVE_INFINITY;
  private readonly probeEvery: number;
  private readonly probeIntervalMs: number;
  private readonly errorText: (err: unknown) => string;

  constructor(
    private readonly read: ReadLogPage,
    private readonly onChange: (change: LogChange) => void,
    options: LogPagerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 2000;
    this.buffer = new LogBuffer(options.limits ?? DEFAULT_LIMITS);
    this.probeEvery = options.probeEvery ?? 1000;
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    this.errorText = options.errorText ?? ((err) => (err instanceof Error ? err.message : String(err)));
  }

  /** Opens at the tail of the log. Live lines that arrive meanwhile are kept and merged after. */
  start(): Promise<void> {
    return this.run('initial', async (change) => {
      const answer = await this.read({ tail: this.pageSize });
      this.buffer.reset(answer.lines, answer.done ? null : answer.cursor, answer.done);
      change.reset = true;
    });
  }

  /** Live lines (already filtered to this job and rank). */
  pushLive(lines: readonly LogLine[]): void {
    if (this.disposed || lines.length === 0) return;
    if (this.status.loading === 'initial') {
      // The first read is in flight: these may or may not be in its answer.
      for (const l of lines) this.pendingLive.push(l);
      return;
    }
    const change = none();
    change.appended = this.buffer.appendLive(lines);
    if (change.appended === 0) return;
    this.trim(change);
    this.onChange(change);
    this.maybeProbe();
  }

  /** Which lines are on screen: trimming drops lines far from them first. */
  setViewport(first: number, last: number): void {
    this.viewport = { first, last };
  }

  canLoadOlder(): boolean {
    return this.status.loading === null && this.buffer.olderCursor() !== null;
  }

  loadOlder(): Promise<void> {
    if (!this.canLoadOlder()) return Promise.resolve();
    return this.run('older', async (change) => {
      const cursor = this.buffer.olderCursor();
      if (cursor === null) return;
      const answer = await this.read({ cursor, limit: this.pageSize });
      change.prepended = this.buffer.prepend(answer.lines, answer.done ? null : answer.cursor, answer.done);
      if (change.prepended === 0 && answer.lines.length > 0 && answer.cursor === cursor) {
        this.buffer.reachedStart = true; // the cursor did not move: stop rather than ask forever
      }
    });
  }

  /** Resolves when every read started so far has finished. */
  settled(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.disposed = true;
    this.pendingLive = [];
  }

  /** Asks for a cursor among the live lines so the front can later be dropped there. */
  private maybeProbe(now = Date.now()): void {
    if (this.probing || this.disposed || !this.buffer.atEnd) return;
    if (this.buffer.linesSinceCursor() < this.probeEvery || now - this.lastProbe < this.probeIntervalMs) return;
    this.probing = true;
    this.lastProbe = now;
    this.read({ tail: 1 })
      .then((answer) => {
        const line = answer.lines[answer.lines.length - 1];
        if (line && !answer.done && !this.disposed) this.buffer.setOlderCursorAt(line, answer.cursor);
      })
      .catch(() => undefined) // only an optimisation: the next probe tries again
      .finally(() => {
        this.probing = false;
      });
  }

  /** The end of the window farther from the viewport (lines there are missed least). */
  private fartherEnd(): 'front' | 'back' {
    const len = this.buffer.length;
    const before = Math.min(this.viewport.first, len);
    const after = len - Math.min(this.viewport.last + 1, len);
    return before >= after ? 'front' : 'back';
  }

  private trim(change: LogChange): void {
    if (!this.buffer.overLimit()) return;
    const { first, last } = this.viewport;
    const len = this.buffer.length;
    if (this.fartherEnd() === 'back') {
      change.removedBack += this.buffer.evictBack(Math.max(0, len - 1 - Math.min(last, len - 1)));
      return;
    }
    const room = Math.max(0, Math.min(first, len));
    let dropped = this.buffer.evictFront(room);
    // No line with a cursor near enough: keep growing up to a hard cap, then drop anyway
    // (paging older stops; reopening at the tail brings it back).
    if (dropped === 0 && this.buffer.length > this.buffer.limits.maxLines * 1.25) dropped = this.buffer.evictFront(room, false);
    change.removedFront += dropped;
  }

  private run(kind: 'initial' | 'older', body: (change: LogChange) => Promise<void>): Promise<void> {
    this.status = { ...this.status, loading: kind };
    const task = this.queue.then(async () => {
      if (this.disposed) return;
      const change = none();
      try {
        await body(change);
        this.status = { loading: null, error: null };
      } catch (err) {
        this.status = { loading: null, error: this.errorText(err) };
      }
      if (this.disposed) return;
      // Live lines held back during the first read: merge them now (deduplicated).
      const pending = this.pendingLive;
      this.pendingLive = [];
      if (pending.length > 0) change.appended += this.buffer.appendLive(pending);
      this.trim(change);
      this.onChange(change);
    });
    this.queue = task;
    return task;
  }
}

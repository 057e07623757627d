/**
 * The log lines held in memory: a bounded window over a job's log (which may have millions of
 * lines), filled from API pages (`jobs.logs`) and live `jobs.log` events. Pure; tested in node.
 *
 * Older lines are paged in with cursors: some lines carry the opaque cursor that reads the lines
 * just before them (a page read backwards gives one for its first line; the pager learns more
 * for live lines). Lines are dropped from the front only up to such a line, so the user can
 * always scroll back up. Dropping lines at the end leaves the window "not at the end": live lines
 * are then ignored until the view reopens at the tail.
 *
 * Pages and live events overlap where they meet (a line is read in a page and also arrives as an
 * event): incoming lines equal to a held line nearby, by (rank, ts, text), are dropped. Live lines
 * are never compared with other live lines, so a program printing the same line twice keeps both.
 */
import type { LogLine } from '../../../engine/api/contract';

export interface LogEntry extends LogLine {
  /** Increasing from the oldest line to the newest, never reused: keys for React and the virtualizer. */
  seq: number;
  /** Read in an API page (as opposed to a live event). */
  fromPage: boolean;
  /** The text as shown (ANSI stripped), computed on first search. */
  plain?: string;
}

export interface LogBufferLimits {
  maxLines: number;
  /** Bound on the text held (UTF-16 units), so 50k lines of 64 KiB cannot exhaust memory. */
  maxChars: number;
}

export const DEFAULT_LIMITS: LogBufferLimits = { maxLines: 50_000, maxChars: 24 * 1024 * 1024 };

const key = (l: LogLine) => `${l.rank}\u0001${l.ts}\u0001${l.text}`;

/** How far from the meeting point overlapping lines are looked for. */
const scanWindow = (incoming: number) => Math.min(20_000, Math.max(2000, incoming * 4));

export class LogBuffer {
  private entries: LogEntry[] = [];
  /** seq → cursor that reads the lines before that line. */
  private readonly older = new Map<number, string>();
  private backSeq = 0;
  private frontSeq = -1;
  chars = 0;
  /** Nothing is older than the first line held. */
  reachedStart = false;
  /** The last line held is the newest one known: live lines may be appended. */
  atEnd = true;

  constructor(readonly limits: LogBufferLimits = DEFAULT_LIMITS) {}

  get length(): number {
    return this.entries.length;
  }

  at(index: number): LogEntry | undefined {
    return this.entries[index];
  }

  lines(): readonly LogEntry[] {
    return this.entries;
  }

  /** Index of the line with this seq, or -1 (binary search: seqs increase along the window). */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.entries[mid]!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The cursor that reads the lines before the first one held, or null (start reached or unknown). */
  olderCursor(): string | null {
    const first = this.entries[0];
    return first && !this.reachedStart ? (this.older.get(first.seq) ?? null) : null;
  }

  /** Live lines after the newest line that has a cursor (the pager asks for one every so often). */
  linesSinceCursor(): number {
    let newest = Number.NEGATIVE_INFINITY;
    for (const seq of this.older.keys()) if (seq > newest) newest = seq;
    const at = newest === Number.NEGATIVE_INFINITY ? -1 : this.indexOfSeq(newest);
    return this.entries.length - 1 - at;
  }

  overLimit(): boolean {
    return this.entries.length > this.limits.maxLines || this.chars > this.limits.maxChars;
  }

  /** Replaces everything with one page read backwards from the end; `older` reads before it. */
  reset(lines: readonly LogLine[], older: string | null, reachedStart: boolean): void {
    this.entries = this.stamp(lines, true, 'back');
    this.older.clear();
    this.chars = sumChars(this.entries);
    this.reachedStart = reachedStart;
    this.atEnd = true;
    if (older !== null && this.entries[0]) this.older.set(this.entries[0].seq, older);
  }

  /** Adds an older page in front; `older` is the answer's cursor. Returns lines added. */
  prepend(lines: readonly LogLine[], older: string | null, reachedStart: boolean): number {
    const fresh = dropOverlapAtStart(this.entries, lines);
    this.reachedStart = reachedStart;
    const previousFirst = this.entries[0];
    if (fresh.length === 0) {
      if (previousFirst && older !== null) this.older.set(previousFirst.seq, older); // the cursor still moved
      return 0;
    }
    const entries = this.stamp(fresh, true, 'front');
    this.chars += sumChars(entries);
    this.entries = entries.concat(this.entries);
    if (older !== null) this.older.set(entries[0]!.seq, older);
    return entries.length;
  }

  /** Adds live lines at the end; ignored (returns 0) unless the window is at the end. */
  appendLive(lines: readonly LogLine[]): number {
    if (!this.atEnd || lines.length === 0) return 0;
    const fresh = this.stamp(dropOverlapAtEnd(this.entries, lines), false, 'back');
    for (const e of fresh) this.entries.push(e);
    this.chars += sumChars(fresh);
    return fresh.length;
  }

  /**
   * Records that `cursor` reads the lines before `line` (the answer to a one-line tail read).
   * Looks for that line among the newest held; false if it has not arrived yet.
   */
  setOlderCursorAt(line: LogLine, cursor: string, searchLast = 20_000): boolean {
    const k = key(line);
    const stop = Math.max(0, this.entries.length - searchLast);
    for (let i = this.entries.length - 1; i >= stop; i--) {
      const e = this.entries[i]!;
      if (e.ts < line.ts - 60_000) break; // far older than the line: it is not here
      if (key(e) === k) {
        this.older.set(e.seq, cursor);
        return true;
      }
    }
    return false;
  }

  /**
   * Drops the oldest lines until within the limits, stopping at a line that has a cursor so
   * paging older still works. Drops no more than `maxDrop` lines. Returns lines dropped; 0 if
   * no line with a cursor is near enough (the caller may force it with `keepCursor: false`).
   */
  evictFront(maxDrop: number, keepCursor = true): number {
    const need = this.excess();
    if (need === 0) return 0;
    let cut = need;
    if (keepCursor) {
      let best = Number.POSITIVE_INFINITY;
      const minSeq = this.entries[need]?.seq ?? Number.POSITIVE_INFINITY;
      for (const seq of this.older.keys()) if (seq >= minSeq && seq < best) best = seq;
      if (best === Number.POSITIVE_INFINITY) return 0;
      cut = this.indexOfSeq(best);
    }
    if (cut <= 0 || cut > maxDrop || cut >= this.entries.length) return 0;
    const dropped = this.entries.splice(0, cut);
    this.chars -= sumChars(dropped);
    for (const e of dropped) this.older.delete(e.seq);
    this.reachedStart = false;
    return cut;
  }

  /** Drops the newest lines until within the limits; live lines are then ignored. Returns lines dropped. */
  evictBack(maxDrop: number): number {
    const cut = Math.min(this.excess(), maxDrop, this.entries.length - 1);
    if (cut <= 0) return 0;
    const dropped = this.entries.splice(this.entries.length - cut, cut);
    this.chars -= sumChars(dropped);
    for (const e of dropped) this.older.delete(e.seq);
    this.atEnd = false;
    return cut;
  }

  /** The fewest lines to drop (from either end, by size order) to be within the limits. */
  private excess(): number {
    let lines = Math.max(0, this.entries.length - this.limits.maxLines);
    if (this.chars > this.limits.maxChars) {
      // Characters: assume average line size (exactness does not matter, the bound does).
      const avg = this.chars / Math.max(1, this.entries.length);
      lines = Math.max(lines, Math.ceil((this.chars - this.limits.maxChars) / avg));
    }
    return Math.min(lines, this.entries.length);
  }

  private stamp(lines: readonly LogLine[], fromPage: boolean, side: 'front' | 'back'): LogEntry[] {
    const out: LogEntry[] = new Array(lines.length);
    const first = side === 'back' ? this.backSeq : this.frontSeq - lines.length + 1;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      out[i] = { rank: l.rank, ts: l.ts, stream: l.stream, text: l.text, seq: first + i, fromPage };
    }
    if (side === 'back') this.backSeq += lines.length;
    else this.frontSeq -= lines.length;
    return out;
  }
}

function sumChars(entries: readonly LogEntry[]): number {
  let chars = 0;
  for (const e of entries) chars += e.text.length;
  return chars;
}

/** Live lines minus those a page already holds near the end (at or after the incoming's first time). */
export function dropOverlapAtEnd(held: readonly LogEntry[], incoming: readonly LogLine[]): LogLine[] {
  if (incoming.length === 0 || held.length === 0) return incoming as LogLine[];
  let minTs = Infinity;
  for (const l of incoming) if (l.ts < minTs) minTs = l.ts;
  const counts = new Map<string, number>();
  const stop = Math.max(0, held.length - scanWindow(incoming.length));
  for (let i = held.length - 1; i >= stop; i--) {
    const e = held[i]!;
    if (e.ts < minTs || !e.fromPage) continue;
    const k = key(e);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return takeUnmatched(incoming, counts);
}

/** Incoming (older) lines minus those already held near the start (at or before the incoming's last time). */
export function dropOverlapAtStart(held: readonly LogEntry[], incoming: readonly LogLine[]): LogLine[] {
  if (incoming.length === 0 || held.length === 0) return incoming as LogLine[];
  let maxTs = -Infinity;
  for (const l of incoming) if (l.ts > maxTs) maxTs = l.ts;
  const counts = new Map<string, number>();
  const stop = Math.min(held.length, scanWindow(incoming.length));
  for (let i = 0; i < stop; i++) {
    const e = held[i]!;
    if (e.ts > maxTs) continue;
    const k = key(e);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return takeUnmatched(incoming, counts);
}

/** Each held copy cancels one incoming copy: repeated lines beyond the overlap survive. */
function takeUnmatched(incoming: readonly LogLine[], counts: Map<string, number>): LogLine[] {
  if (counts.size === 0) return incoming as LogLine[];
  return incoming.filter((l) => {
    const k = key(l);
    const n = counts.get(k);
    if (!n) return true;
    counts.set(k, n - 1);
    return false;
  });
}

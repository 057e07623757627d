import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../engine/api/contract';
import { LogPager, type LogChange, type LogPageRequest, type ReadLogPage } from './log-pager';

/**
 * A job's log held in memory, answering reads like the engine's `jobs.logs`: the cursor keeps
 * the direction it was made in (a tail read's cursor reads older lines, with `limit`).
 */
class MemoryLog {
  lines: LogLine[] = [];
  reads: LogPageRequest[] = [];
  constructor(count: number) {
    this.write(count);
  }
  write(count: number): LogLine[] {
    const fresh = Array.from({ length: count }, (_, i) => {
      const n = this.lines.length + i;
      return { rank: n % 2, ts: 1_000_000 + n, stream: 'o' as const, text: `line ${n}` };
    });
    for (const l of fresh) this.lines.push(l);
    return fresh;
  }
  read: ReadLogPage = async (req) => {
    this.reads.push(req);
    await Promise.resolve();
    const c = req.cursor ? (JSON.parse(req.cursor) as { d: 'b' | 'f'; at: number }) : undefined;
    const backward = c ? c.d === 'b' : req.tail !== undefined;
    const count = c ? (req.limit ?? 2000) : (req.tail ?? req.limit ?? 2000);
    if (backward) {
      const end = c?.at ?? this.lines.length;
      const start = Math.max(0, end - count);
      return { lines: this.lines.slice(start, end), cursor: JSON.stringify({ d: 'b', at: start }), done: end - start < count };
    }
    const start = c?.at ?? 0;
    const end = Math.min(this.lines.length, start + count);
    return { lines: this.lines.slice(start, end), cursor: JSON.stringify({ d: 'f', at: end }), done: false };
  };
}

const numbers = (p: LogPager) => p.buffer.lines().map((l) => Number(l.text.slice(5)));
const isRun = (xs: number[]) => xs.every((x, i) => i === 0 || x === xs[i - 1]! + 1);

function pager(log: MemoryLog, maxLines = 50, pageSize = 10, probeEvery = 10) {
  const changes: LogChange[] = [];
  const p = new LogPager(log.read, (c) => changes.push(c), {
    pageSize,
    probeEvery,
    probeIntervalMs: 0,
    limits: { maxLines, maxChars: 10_000_000 },
  });
  return { p, changes };
}

describe('LogPager', () => {
  it('opens at the tail and pages older lines up to the first', async () => {
    const log = new MemoryLog(35);
    const { p, changes } = pager(log);
    await p.start();
    expect(numbers(p)).toEqual([25, 26, 27, 28, 29, 30, 31, 32, 33, 34]);
    expect(changes.at(-1)!.reset).toBe(true);
    expect(log.reads[0]).toEqual({ tail: 10 });
    await p.loadOlder();
    expect(JSON.parse(log.reads[1]!.cursor!)).toEqual({ d: 'b', at: 25 });
    expect(log.reads[1]!.limit).toBe(10);
    await p.loadOlder();
    await p.loadOlder();
    expect(numbers(p)).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(p.buffer.reachedStart).toBe(true);
    expect(p.canLoadOlder()).toBe(false);
    expect(changes.at(-1)!.prepended).toBe(5);
  });

  it('knows a short log is complete from the first read', async () => {
    const { p } = pager(new MemoryLog(4));
    await p.start();
    expect(numbers(p)).toEqual([0, 1, 2, 3]);
    expect(p.canLoadOlder()).toBe(false);
  });

  it('merges live lines that arrived during the first read without duplicates', async () => {
    const log = new MemoryLog(20);
    const { p } = pager(log);
    const started = p.start();
    p.pushLive(log.write(3)); // written while the read is pending: in its answer or not
    await started;
    p.pushLive(log.write(2));
    expect(numbers(p)).toEqual(Array.from({ length: 12 }, (_, i) => 13 + i));
  });

  it('keeps a bounded window while following a long-running job, and can still page older', async () => {
    const log = new MemoryLog(10);
    const { p } = pager(log, 50);
    await p.start();
    // Following: the viewport is the last lines.
    for (let i = 0; i < 40; i++) {
      p.setViewport(Math.max(0, p.buffer.length - 5), p.buffer.length - 1);
      p.pushLive(log.write(7));
      await new Promise((r) => setTimeout(r, 0)); // let the cursor probe answer
    }
    const held = numbers(p);
    expect(held.length).toBeLessThanOrEqual(60);
    expect(held.at(-1)).toBe(log.lines.length - 1);
    expect(isRun(held)).toBe(true);
    expect(log.reads.some((r) => r.tail === 1)).toBe(true);
    // The first line held carries a cursor: scrolling up continues exactly before it.
    const first = held[0]!;
    p.setViewport(0, 5);
    await p.loadOlder();
    const after = numbers(p);
    expect(after[0]).toBe(first - 10);
    expect(isRun(after)).toBe(true);
  });

  it('drops the newest lines when paging far up, then ignores live lines', async () => {
    const log = new MemoryLog(1000);
    const { p } = pager(log, 30);
    await p.start();
    p.setViewport(0, 3);
    for (let i = 0; i < 6; i++) await p.loadOlder();
    const held = numbers(p);
    expect(held.length).toBeLessThanOrEqual(30);
    expect(held[0]).toBe(930);
    expect(isRun(held)).toBe(true);
    expect(p.buffer.atEnd).toBe(false);
    p.pushLive(log.write(1));
    expect(numbers(p)).toEqual(held);
  });

  it('pages up through a million-line log holding at most the window', async () => {
    const log = new MemoryLog(1_000_000);
    const { p } = pager(log, 50_000, 2000);
    await p.start();
    p.setViewport(0, 40);
    const t0 = performance.now();
    for (let i = 0; i < 40; i++) await p.loadOlder();
    const held = numbers(p);
    expect(held.length).toBeLessThanOrEqual(50_000);
    expect(held[0]).toBe(1_000_000 - 41 * 2000);
    expect(isRun(held)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('shows the API error and stays usable', async () => {
    const log = new MemoryLog(5);
    let fail = true;
    const p = new LogPager(
      async (req) => {
        if (fail) throw new Error('jobs.logs: Unknown job "x".');
        return log.read(req);
      },
      () => undefined,
    );
    await p.start();
    expect(p.status).toEqual({ loading: null, error: 'jobs.logs: Unknown job "x".' });
    expect(p.buffer.length).toBe(0);
    expect(p.canLoadOlder()).toBe(false);
    fail = false;
    await p.start();
    expect(p.status.error).toBeNull();
    expect(p.buffer.length).toBe(5);
  });

  it('stops paging older if the cursor does not move', async () => {
    const stuck: ReadLogPage = async () => ({ lines: [{ rank: 0, ts: 1, stream: 'o', text: 'same' }], cursor: 'c', done: false });
    const p = new LogPager(stuck, () => undefined, { pageSize: 1 });
    await p.start();
    await p.loadOlder();
    expect(p.canLoadOlder()).toBe(false);
  });
});

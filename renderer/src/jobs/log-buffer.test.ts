import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../engine/api/contract';
import { LogBuffer, dropOverlapAtEnd } from './log-buffer';

const line = (n: number, rank = 0, text = `line ${n}`): LogLine => ({ rank, ts: 1000 + n, stream: 'o', text });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line(from + i));
const texts = (b: LogBuffer) => b.lines().map((l) => l.text);
const numbers = (b: LogBuffer) => b.lines().map((l) => Number(l.text.slice(5)));
const limits = { maxLines: 10, maxChars: 1_000_000 };

describe('LogBuffer', () => {
  it('starts from a tail page and pages older lines in front', () => {
    const b = new LogBuffer(limits);
    b.reset(range(6, 9), 'before6', false);
    expect(b.olderCursor()).toBe('before6');
    expect(b.prepend(range(3, 6), 'before3', false)).toBe(3);
    expect(b.olderCursor()).toBe('before3');
    expect(b.prepend(range(0, 3), null, true)).toBe(3);
    expect(texts(b)).toEqual(range(0, 9).map((l) => l.text));
    expect(b.reachedStart).toBe(true);
    expect(b.olderCursor()).toBeNull();
  });

  it('gives every line an increasing seq that is never reused', () => {
    const b = new LogBuffer(limits);
    b.reset(range(5, 7), 'c5', false);
    b.prepend(range(3, 5), 'c3', false);
    b.appendLive([line(7)]);
    const seqs = b.lines().map((l) => l.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const [i, s] of seqs.entries()) expect(b.indexOfSeq(s)).toBe(i);
    expect(b.indexOfSeq(12345)).toBe(-1);
    const before = new Set(seqs);
    b.reset(range(0, 2), null, true);
    for (const l of b.lines()) expect(before.has(l.seq)).toBe(false);
  });

  it('drops live lines that a page already holds, but keeps genuine repeats', () => {
    const b = new LogBuffer(limits);
    b.reset(range(0, 4), null, true);
    // Events for lines 2..5 arrive: 2 and 3 were also in the page.
    expect(b.appendLive([line(2), line(3), line(4), line(5)])).toBe(2);
    expect(texts(b)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    // The same text at the same millisecond printed twice by the program: both kept.
    const tick = { rank: 0, ts: 2000, stream: 'o' as const, text: 'tick' };
    expect(b.appendLive([tick])).toBe(1);
    expect(b.appendLive([tick])).toBe(1);
    // Same time and text on another rank is another line.
    expect(b.appendLive([{ ...line(5), rank: 1 }])).toBe(1);
  });

  it('deduplicates by multiset: one held copy cancels one incoming copy', () => {
    const held = [{ ...line(1), seq: 0, fromPage: true }];
    expect(dropOverlapAtEnd(held, [line(1), line(1)])).toEqual([line(1)]);
    expect(dropOverlapAtEnd([{ ...line(1), seq: 0, fromPage: false }], [line(1)])).toEqual([line(1)]);
  });

  it('drops overlapping lines when an older page meets the front', () => {
    const b = new LogBuffer(limits);
    b.reset(range(5, 8), 'c', false);
    expect(b.prepend(range(2, 7), 'c2', false)).toBe(3);
    expect(numbers(b)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('drops the front only up to a line that can still page older', () => {
    const b = new LogBuffer(limits);
    b.reset(range(0, 6), 'before0', false);
    b.appendLive(range(6, 14)); // 14 lines: 4 too many
    expect(b.evictFront(100)).toBe(0); // no line with a cursor after the first
    expect(b.setOlderCursorAt(line(9), 'before9')).toBe(true);
    expect(b.setOlderCursorAt(line(99), 'nope')).toBe(false);
    expect(b.evictFront(3)).toBe(0); // would have to drop 9 lines: more than allowed
    expect(b.evictFront(100)).toBe(9);
    expect(numbers(b)).toEqual([9, 10, 11, 12, 13]);
    expect(b.olderCursor()).toBe('before9');
    expect(b.reachedStart).toBe(false);
    expect(b.linesSinceCursor()).toBe(4);
  });

  it('can force dropping the front without a cursor (paging older then stops)', () => {
    const b = new LogBuffer(limits);
    b.reset(range(0, 4), 'c', false);
    b.appendLive(range(4, 12));
    expect(b.evictFront(100, false)).toBe(2);
    expect(b.olderCursor()).toBeNull();
    expect(b.linesSinceCursor()).toBe(10);
  });

  it('drops the back and then ignores live lines until reopened', () => {
    const b = new LogBuffer(limits);
    b.reset(range(10, 14), 'c10', false);
    b.prepend(range(4, 10), 'c4', false);
    b.prepend(range(0, 4), 'c0', false);
    expect(b.length).toBe(14);
    expect(b.evictBack(100)).toBe(4);
    expect(b.atEnd).toBe(false);
    expect(numbers(b)).toEqual(range(0, 10).map((_, i) => i));
    expect(b.appendLive([line(20)])).toBe(0);
    expect(b.olderCursor()).toBe('c0');
  });

  it('bounds lines and characters', () => {
    const b = new LogBuffer({ maxLines: 5, maxChars: 100 });
    b.reset(range(0, 5), null, true);
    expect(b.overLimit()).toBe(false);
    b.appendLive([line(5)]);
    expect(b.overLimit()).toBe(true);
    const wide = new LogBuffer({ maxLines: 1000, maxChars: 128 * 1024 });
    wide.reset([line(0, 0, 'x'.repeat(64 * 1024))], null, true);
    expect(wide.overLimit()).toBe(false);
    wide.appendLive([line(1, 0, 'y'.repeat(64 * 1024 + 1))]);
    expect(wide.chars).toBe(128 * 1024 + 1);
    expect(wide.overLimit()).toBe(true);
    expect(wide.evictFront(10, false)).toBe(1);
    expect(wide.chars).toBe(64 * 1024 + 1);
  });
});

import { describe, expect, it } from 'vitest';
import { keepCurrent, markSegments, matchRanges, queryPattern, searchLines, stepMatch } from './log-search';

const lines = [
  { seq: 1, text: 'epoch 1 Loss=0.9' },
  { seq: 2, text: 'nothing here' },
  { seq: 3, text: 'loss loss LOSS' },
];
const plain = (l: { text: string }) => l.text;

describe('searchLines', () => {
  it('finds every match case-insensitively, in order', () => {
    const { matches, truncated } = searchLines(lines, 'loss', plain);
    expect(truncated).toBe(false);
    expect(matches).toEqual([
      { seq: 1, start: 8, end: 12 },
      { seq: 3, start: 0, end: 4 },
      { seq: 3, start: 5, end: 9 },
      { seq: 3, start: 10, end: 14 },
    ]);
  });
  it('treats the query literally and caps the number of matches', () => {
    expect(searchLines([{ seq: 1, text: 'a.b axb (x)' }], 'a.b', plain).matches).toHaveLength(1);
    expect(searchLines([{ seq: 1, text: 'f(x) (x)' }], '(x)', plain).matches).toHaveLength(2);
    expect(searchLines(lines, '', plain).matches).toEqual([]);
    const capped = searchLines(lines, 'loss', plain, 2);
    expect(capped.matches).toHaveLength(2);
    expect(capped.truncated).toBe(true);
  });
  it('searches 50k lines quickly', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => ({ seq: i, text: `step=${i} loss=${(1 / (i + 1)).toFixed(4)} rank 0` }));
    const t0 = performance.now();
    const { matches } = searchLines(many, 'step=4999', plain);
    expect(matches.map((m) => m.seq)).toEqual([4999, 49990, 49991, 49992, 49993, 49994, 49995, 49996, 49997, 49998, 49999]);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('stepping between matches', () => {
  it('wraps both ways', () => {
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
  it('keeps the selected match when lines are added or dropped', () => {
    const ms = [
      { seq: 5, start: 0, end: 1 },
      { seq: 9, start: 3, end: 4 },
      { seq: 12, start: 0, end: 1 },
    ];
    expect(keepCurrent(ms, { seq: 9, start: 3, end: 4 })).toBe(1);
    expect(keepCurrent(ms, { seq: 7, start: 0, end: 1 })).toBe(1); // gone: the next one
    expect(keepCurrent(ms, { seq: 99, start: 0, end: 1 })).toBe(2);
    expect(keepCurrent(ms, null)).toBe(0);
    expect(keepCurrent([], null)).toBe(-1);
  });
});

describe('markSegments', () => {
  it('splits styled segments at match boundaries', () => {
    const segs = [
      { text: 'ERROR ', className: 'fg-red' },
      { text: 'loss is nan', className: '' },
    ];
    const ranges = matchRanges('ERROR loss is nan', queryPattern('or l'));
    expect(ranges).toEqual([[3, 7]]);
    expect(markSegments(segs, ranges, 3)).toEqual([
      { text: 'ERR', className: 'fg-red' },
      { text: 'OR ', className: 'fg-red', mark: 'current' },
      { text: 'l', className: '', mark: 'current' },
      { text: 'oss is nan', className: '' },
    ]);
  });
  it('marks several matches in one segment and leaves lines without matches alone', () => {
    const segs = [{ text: 'aXaXa', className: '' }];
    expect(markSegments(segs, matchRanges('aXaXa', queryPattern('x')))).toEqual([
      { text: 'a', className: '' },
      { text: 'X', className: '', mark: 'match' },
      { text: 'a', className: '' },
      { text: 'X', className: '', mark: 'match' },
      { text: 'a', className: '' },
    ]);
    expect(markSegments(segs, [])).toBe(segs);
  });
});

/**
 * Search inside the loaded log lines: every match (case-insensitive, on the text as shown),
 * stepping between them, and splitting a line's styled segments so matches can be marked.
 * Pure; tested in node.
 */
import type { Segment } from './ansi';

export interface LogMatch {
  /** The line's `seq` (stable while lines are paged in and out). */
  seq: number;
  start: number;
  end: number;
}

export interface SearchResult {
  matches: LogMatch[];
  /** More matches exist than `limit`: the count is a lower bound. */
  truncated: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive matcher for the query, or null for an empty query. */
export function queryPattern(query: string): RegExp | null {
  return query === '' ? null : new RegExp(escapeRegExp(query), 'gi');
}

/** [start, end) of each match in one line, left to right, not overlapping. */
export function matchRanges(text: string, pattern: RegExp | null, limit = 1000): [number, number][] {
  if (!pattern) return [];
  const out: [number, number][] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m && out.length < limit; m = pattern.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** All matches over lines in order (each line's shown text from `plain`), at most `limit`. */
export function searchLines<L extends { seq: number }>(
  lines: readonly L[],
  query: string,
  plain: (line: L) => string,
  limit = 10_000,
): SearchResult {
  const pattern = queryPattern(query);
  const matches: LogMatch[] = [];
  if (!pattern) return { matches, truncated: false };
  const needle = query.toLowerCase();
  for (const line of lines) {
    const text = plain(line);
    // Cheap reject before the regex (most lines do not match).
    if (needle.length === query.length && !text.toLowerCase().includes(needle)) continue;
    for (const [start, end] of matchRanges(text, pattern)) {
      if (matches.length >= limit) return { matches, truncated: true };
      matches.push({ seq: line.seq, start, end });
    }
  }
  return { matches, truncated: false };
}

/** Next (dir 1) or previous (dir -1) match index, wrapping; -1 when there are none. */
export function stepMatch(current: number, count: number, dir: 1 | -1): number {
  if (count <= 0) return -1;
  if (current < 0) return dir === 1 ? 0 : count - 1;
  return (current + dir + count) % count;
}

/** After the matches changed (new lines, new query): the index of the same match, else the nearest after it. */
export function keepCurrent(matches: readonly LogMatch[], previous: LogMatch | null): number {
  if (matches.length === 0) return -1;
  if (!previous) return 0;
  const i = matches.findIndex((m) => m.seq > previous.seq || (m.seq === previous.seq && m.start >= previous.start));
  return i === -1 ? matches.length - 1 : i;
}

export interface MarkedSegment extends Segment {
  mark?: 'match' | 'current';
}

/**
 * Splits styled segments at match boundaries so each match can be wrapped in `<mark>`;
 * `current` is the start offset of the selected match in this line, if any.
 */
export function markSegments(segments: readonly Segment[], ranges: readonly [number, number][], current = -1): MarkedSegment[] {
  if (ranges.length === 0) return segments as MarkedSegment[];
  const out: MarkedSegment[] = [];
  let offset = 0;
  let r = 0;
  for (const seg of segments) {
    const segEnd = offset + seg.text.length;
    let pos = offset;
    while (pos < segEnd) {
      while (r < ranges.length && ranges[r]![1] <= pos) r++;
      const range = ranges[r];
      if (!range || range[0] >= segEnd) {
        out.push({ ...seg, text: seg.text.slice(pos - offset) });
        break;
      }
      if (range[0] > pos) {
        out.push({ ...seg, text: seg.text.slice(pos - offset, range[0] - offset) });
        pos = range[0];
      }
      const end = Math.min(range[1], segEnd);
      out.push({ ...seg, text: seg.text.slice(pos - offset, end - offset), mark: range[0] === current ? 'current' : 'match' });
      pos = end;
    }
    offset = segEnd;
  }
  return out;
}

import { memo, useMemo } from 'react';
import { ansiSegments } from './ansi';
import { Segments } from './AnsiText';
import type { LogEntry } from './log-buffer';
import { markSegments, matchRanges, queryPattern } from './log-search';

/** One line's height when not wrapping (CSS `.log-line` uses the same). */
export const LINE_HEIGHT = 18;

/** One log line: `[r3]` in the rank's colour, then the text with its ANSI colours and search marks. */
export const LogRow = memo(function LogRow({
  entry,
  index,
  top,
  query,
  currentStart,
  measure,
}: {
  entry: LogEntry;
  index: number;
  top: number;
  query: string;
  /** Start offset of the selected match if it is in this line, else -1. */
  currentStart: number;
  /** The virtualizer's measuring ref while lines wrap (heights vary); absent = fixed height. */
  measure?: (el: HTMLElement | null) => void;
}) {
  const segments = useMemo(() => ansiSegments(entry.text), [entry.text]);
  const marked = useMemo(() => {
    if (!query) return segments;
    const shown = segments.map((s) => s.text).join('');
    return markSegments(segments, matchRanges(shown, queryPattern(query)), currentStart);
  }, [segments, query, currentStart]);
  return (
    <div
      ref={measure}
      data-index={index}
      data-testid="log-line"
      data-rank={entry.rank}
      className={`log-line${entry.stream === 'e' ? ' stream-e' : ''}${currentStart >= 0 ? ' has-current' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className={`rank-tag rank-c${entry.rank % 8}`}>
        [r{entry.rank}]{' '}
      </span>
      <span className="log-text">
        <Segments segments={marked} />
      </span>
    </div>
  );
});

import { memo, useMemo, type CSSProperties } from 'react';
import { ansiSegments } from './ansi';
import type { MarkedSegment } from './log-search';

/** Styled segments as spans; search matches inside `<mark>`. Never HTML strings. */
export function Segments({ segments }: { segments: readonly MarkedSegment[] }) {
  return (
    <>
      {segments.map((seg, i) => {
        const style: CSSProperties | undefined =
          seg.color || seg.background ? { color: seg.color, backgroundColor: seg.background } : undefined;
        const span =
          seg.className || style ? (
            <span key={i} className={seg.className || undefined} style={style}>
              {seg.text}
            </span>
          ) : (
            seg.text
          );
        if (!seg.mark) return typeof span === 'string' ? <span key={i}>{span}</span> : span;
        return (
          <mark key={i} className={seg.mark === 'current' ? 'log-match current' : 'log-match'}>
            {span}
          </mark>
        );
      })}
    </>
  );
}

/** A line of program output with its ANSI colours. */
export const AnsiText = memo(function AnsiText({ text }: { text: string }) {
  const segments = useMemo(() => ansiSegments(text), [text]);
  return <Segments segments={segments} />;
});

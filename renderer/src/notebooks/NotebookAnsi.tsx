/** ANSI-coloured output text (tracebacks, streams) with palette colours kept readable on the current theme. */
import { memo, useMemo } from 'react';
import { ansiSegments } from '../jobs/ansi';
import { Segments } from '../jobs/AnsiText';
import { useTheme } from '../theme/ThemeProvider';
import { readableColor } from './ansi-contrast';

export const NotebookAnsi = memo(function NotebookAnsi({ text }: { text: string }) {
  const dark = useTheme().resolved === 'dark';
  const segments = useMemo(
    () => ansiSegments(text).map((s) => (s.color && !s.background ? { ...s, color: readableColor(s.color, dark) } : s)),
    [text, dark],
  );
  return <Segments segments={segments} />;
});

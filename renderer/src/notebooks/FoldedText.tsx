/** Monospace output text with ANSI colours; long text folds its middle away behind "Show more". */
import { useState } from 'react';
import { NotebookAnsi } from './NotebookAnsi';
import { DEFAULT_CHARS, DEFAULT_LINES, foldText } from './truncate';

export function FoldedText({ text, ansi = false, className = '' }: { text: string; ansi?: boolean; className?: string }) {
  const [scale, setScale] = useState(1);
  const folded = foldText(text, DEFAULT_LINES * scale, DEFAULT_CHARS * scale);
  const show = (t: string) => (ansi ? <NotebookAnsi text={t} /> : t);
  return (
    <pre className={`nb-pre ${className}`}>
      {show(folded.head)}
      {folded.hiddenLines > 0 || folded.hiddenChars > 0 ? (
        <span className="nb-fold">
          <span className="muted">
            … {folded.hiddenLines > 0 ? `${folded.hiddenLines.toLocaleString()} lines` : `${folded.hiddenChars.toLocaleString()} characters`} hidden …
          </span>{' '}
          <button type="button" className="btn btn-small" onClick={() => setScale((s) => s * 4)}>
            Show more
          </button>{' '}
          <button type="button" className="btn btn-small" onClick={() => setScale(Number.MAX_SAFE_INTEGER / DEFAULT_CHARS)}>
            Show all
          </button>
          {'\n'}
        </span>
      ) : null}
      {folded.tail ? show(folded.tail) : null}
    </pre>
  );
}

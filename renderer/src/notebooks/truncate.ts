/**
 * Long text outputs are shown as their beginning and their end with the middle folded away
 * ("show more" widens the window), so a training loop's million lines neither freeze the page
 * nor hide the latest line. Pure.
 */
export interface Folded {
  head: string;
  tail: string;
  /** Lines left out between head and tail (0 when the whole text is shown). */
  hiddenLines: number;
  hiddenChars: number;
}

export const DEFAULT_LINES = 500;
export const DEFAULT_CHARS = 50_000;

export function foldText(text: string, maxLines = DEFAULT_LINES, maxChars = DEFAULT_CHARS): Folded {
  if (text.length <= maxChars && countLines(text, maxLines + 1) <= maxLines) return { head: text, tail: '', hiddenLines: 0, hiddenChars: 0 };
  const lines = text.split('\n');
  const headLines = Math.max(1, Math.floor(maxLines / 5));
  const tailLines = Math.max(1, maxLines - headLines);
  let head = lines.slice(0, headLines).join('\n');
  let tail = lines.slice(Math.max(headLines, lines.length - tailLines)).join('\n');
  // Very long lines: cap by characters too, keeping the same 1:4 split.
  if (head.length > maxChars / 5) head = head.slice(0, Math.floor(maxChars / 5));
  if (tail.length > (maxChars * 4) / 5) tail = tail.slice(tail.length - Math.floor((maxChars * 4) / 5));
  const hiddenChars = Math.max(0, text.length - head.length - tail.length);
  const hiddenLines = Math.max(0, lines.length - headLines - tailLines);
  return { head: head + '\n', tail, hiddenLines, hiddenChars };
}

function countLines(text: string, stopAt: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && n < stopAt; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

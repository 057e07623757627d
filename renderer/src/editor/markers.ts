/**
 * Engine issues (line, column, message) as editor markers: where the squiggle starts and ends
 * on the line, and the message without the "trainjob.yaml:12:5 " prefix the editor already
 * shows by position. Pure (no Monaco import), so EditorView's `markers` prop stays simple.
 */
import type { SpecIssue } from '../../../engine/api/contract';

export interface EditorMarker {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** "trainjob.yaml:12:5 spec.x: expected …" → "spec.x: expected …". */
export function withoutLocation(message: string): string {
  return message.replace(/^\S+?:\d+:\d+ /, '');
}

/**
 * The span to underline from `column` on `lineText`: the value there up to a trailing comment
 * (`numNodes: two  # x` underlines `two`); the whole line when the column is unknown (0).
 */
export function markerSpan(lineText: string, column: number): { start: number; end: number } {
  const length = lineText.length;
  if (column <= 0 || column > length) {
    const first = lineText.search(/\S/);
    return first < 0 ? { start: 1, end: Math.max(2, length + 1) } : { start: first + 1, end: length + 1 };
  }
  const rest = lineText.slice(column - 1);
  const quote = rest[0] === '"' ? /^"(?:[^"\\]|\\.)*"/ : rest[0] === "'" ? /^'(?:[^']|'')*'/ : null;
  const quoted = quote?.exec(rest)?.[0];
  if (quoted) return { start: column, end: column + quoted.length };
  const comment = rest.search(/\s#/);
  const value = (comment >= 0 ? rest.slice(0, comment) : rest).trimEnd();
  return { start: column, end: column + Math.max(1, value.length) };
}

export function issueMarkers(
  issues: { errors: readonly SpecIssue[]; warnings: readonly SpecIssue[] },
  lineText: (line: number) => string,
): EditorMarker[] {
  const make = (issue: SpecIssue, severity: EditorMarker['severity']): EditorMarker => {
    const line = Math.max(1, issue.line);
    const { start, end } = markerSpan(lineText(line), issue.column);
    return { severity, message: withoutLocation(issue.message), line, column: start, endLine: line, endColumn: end };
  };
  return [...issues.errors.map((i) => make(i, 'error')), ...issues.warnings.map((i) => make(i, 'warning'))];
}

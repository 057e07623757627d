/**
 * The open notebook as the editor holds it: the nbformat document untouched except where the
 * user edits, so whatever the editor does not understand (metadata, attachments, unknown
 * fields) goes back to disk as it came. Cells get a key of our own for React and for the
 * engine's cellId; nbformat ids are kept but never relied on (older notebooks have none). Pure.
 */
import type { NbOutput, NotebookContent, OutputEvent } from '../../../engine/api/contract';

export type CellType = 'code' | 'markdown' | 'raw';
export type NbCell = Record<string, unknown> & { cell_type: CellType; source: string | string[]; metadata: Record<string, unknown> };

export interface EditorCell {
  key: string;
  cell: NbCell;
}

export interface NotebookDoc {
  /** Everything but `cells`, as read. */
  top: Record<string, unknown>;
  cells: EditorCell[];
}

let counter = 0;
export const newKey = (): string => `k${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

export function fromContent(content: NotebookContent, makeKey: () => string = newKey): NotebookDoc {
  const { cells, ...top } = content;
  return { top, cells: (Array.isArray(cells) ? (cells as NbCell[]) : []).map((cell) => ({ key: makeKey(), cell })) };
}

export function toContent(doc: NotebookDoc): NotebookContent {
  return { ...doc.top, cells: doc.cells.map((c) => c.cell) };
}

/** Python's str.splitlines(True), as nbformat writes sources. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])?/g)) {
    if (m[0] !== '') out.push(m[0]);
  }
  return out;
}

/** A string, or nbformat's list of lines, as one string. */
export function joinText(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

export function withSource(cell: NbCell, text: string): NbCell {
  return { ...cell, source: Array.isArray(cell.source) ? splitLines(text) : text };
}

/** nbformat ≥ 4.5 requires cell ids; older notebooks must not get them. */
export function wantsCellIds(top: Record<string, unknown>): boolean {
  return Number(top.nbformat) === 4 && Number(top.nbformat_minor) >= 5;
}

function cellId(): string {
  return Math.random().toString(16).slice(2, 10).padEnd(8, '0');
}

export function newCell(type: CellType, withId: boolean): NbCell {
  const id = withId ? { id: cellId() } : {};
  return type === 'code'
    ? { cell_type: 'code', execution_count: null, ...id, metadata: {}, outputs: [], source: [] }
    : { cell_type: type, ...id, metadata: {}, source: [] };
}

export function changeType(cell: NbCell, type: CellType): NbCell {
  if (cell.cell_type === type) return cell;
  const { outputs: _o, execution_count: _e, ...rest } = cell;
  return type === 'code' ? { ...rest, cell_type: 'code', execution_count: null, outputs: [] } : { ...rest, cell_type: type };
}

export function outputsOf(cell: NbCell): NbOutput[] {
  return Array.isArray(cell.outputs) ? (cell.outputs as NbOutput[]) : [];
}

/** What the engine's `notebooks.output` event does to a cell's outputs. */
export function applyOutputEvent(outputs: readonly NbOutput[], e: OutputEvent): NbOutput[] {
  if (e.op === 'clear') return [];
  const next = [...outputs];
  if (e.op === 'set') {
    next[e.index] = e.output;
    return next;
  }
  const old = next[e.index];
  next[e.index] = old ? { ...old, text: joinText(old.text) + e.text } : { output_type: 'stream', name: 'stdout', text: e.text };
  return next;
}

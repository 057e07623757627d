/**
 * Editor state for one notebook: the document, which cells are queued or running, which cell
 * is selected, and a version counter that makes "dirty" exact (a save records the version it
 * wrote; edits made while it was in flight keep the notebook dirty). Pure reducer.
 */
import type { CellRunStatus, NotebookContent, OutputEvent } from '../../../engine/api/contract';
import { applyOutputEvent, changeType, fromContent, newCell, outputsOf, wantsCellIds, withSource, type CellType, type NotebookDoc } from './notebook-doc';

export type RunState = 'queued' | 'running';

export interface NotebookState {
  doc: NotebookDoc;
  run: Record<string, RunState>;
  selected: string | null;
  version: number;
  savedVersion: number;
}

export type NotebookAction =
  | { type: 'load'; content: NotebookContent }
  | { type: 'edit'; key: string; text: string }
  | { type: 'insert'; index: number; cellType: CellType }
  | { type: 'delete'; key: string }
  | { type: 'move'; key: string; delta: -1 | 1 }
  | { type: 'setType'; key: string; cellType: CellType }
  | { type: 'select'; key: string | null }
  | { type: 'queued'; keys: string[] }
  | { type: 'started'; key: string; executionCount: number | null }
  | { type: 'output'; event: OutputEvent }
  | { type: 'done'; key: string; status: CellRunStatus; executionCount: number | null }
  | { type: 'stopAll' }
  | { type: 'setKernelspec'; name: string; displayName: string; language: string }
  | { type: 'saved'; version: number }
  | { type: 'batch'; actions: NotebookAction[] };

export function initialState(content: NotebookContent): NotebookState {
  const doc = fromContent(content);
  return { doc, run: {}, selected: doc.cells[0]?.key ?? null, version: 0, savedVersion: 0 };
}

export const isDirty = (s: NotebookState): boolean => s.version !== s.savedVersion;

function mapCell(s: NotebookState, key: string, f: (c: NotebookDoc['cells'][number]['cell']) => NotebookDoc['cells'][number]['cell']): NotebookState {
  const index = s.doc.cells.findIndex((c) => c.key === key);
  if (index < 0) return s;
  const cells = [...s.doc.cells];
  cells[index] = { key, cell: f(cells[index]!.cell) };
  return { ...s, doc: { ...s.doc, cells }, version: s.version + 1 };
}

function withoutRun(run: Record<string, RunState>, key: string): Record<string, RunState> {
  if (!(key in run)) return run;
  const next = { ...run };
  delete next[key];
  return next;
}

export function notebookReducer(s: NotebookState, a: NotebookAction): NotebookState {
  switch (a.type) {
    case 'load': {
      const next = initialState(a.content);
      return { ...next, version: s.version + 1, savedVersion: s.version + 1 };
    }
    case 'edit':
      return mapCell(s, a.key, (c) => withSource(c, a.text));
    case 'insert': {
      const cells = [...s.doc.cells];
      const key = `new-${s.version + 1}-${cells.length}`;
      cells.splice(Math.max(0, Math.min(a.index, cells.length)), 0, { key, cell: newCell(a.cellType, wantsCellIds(s.doc.top)) });
      return { ...s, doc: { ...s.doc, cells }, selected: key, version: s.version + 1 };
    }
    case 'delete': {
      const index = s.doc.cells.findIndex((c) => c.key === a.key);
      if (index < 0) return s;
      const cells = s.doc.cells.filter((c) => c.key !== a.key);
      const selected = s.selected === a.key ? (cells[Math.min(index, cells.length - 1)]?.key ?? null) : s.selected;
      return { ...s, doc: { ...s.doc, cells }, run: withoutRun(s.run, a.key), selected, version: s.version + 1 };
    }
    case 'move': {
      const index = s.doc.cells.findIndex((c) => c.key === a.key);
      const to = index + a.delta;
      if (index < 0 || to < 0 || to >= s.doc.cells.length) return s;
      const cells = [...s.doc.cells];
      [cells[index], cells[to]] = [cells[to]!, cells[index]!];
      return { ...s, doc: { ...s.doc, cells }, version: s.version + 1 };
    }
    case 'setType':
      return mapCell(s, a.key, (c) => changeType(c, a.cellType));
    case 'select':
      return s.selected === a.key ? s : { ...s, selected: a.key };
    case 'queued': {
      // Like JupyterLab: a cell's old outputs go as soon as it is asked to run again.
      let next: NotebookState = { ...s, run: { ...s.run } };
      for (const key of a.keys) {
        next.run[key] = 'queued';
        next = mapCell(next, key, (c) => (c.cell_type === 'code' ? { ...c, outputs: [], execution_count: null } : c));
      }
      return next;
    }
    case 'started': {
      const next = mapCell(s, a.key, (c) => ({ ...c, execution_count: a.executionCount }));
      return next === s ? s : { ...next, run: { ...next.run, [a.key]: 'running' } };
    }
    case 'output':
      return mapCell(s, a.event.cellId, (c) => ({ ...c, outputs: applyOutputEvent(outputsOf(c), a.event) }));
    case 'done': {
      const next = a.executionCount === null ? s : mapCell(s, a.key, (c) => ({ ...c, execution_count: a.executionCount }));
      return { ...next, run: withoutRun(next.run, a.key) };
    }
    case 'stopAll':
      return Object.keys(s.run).length ? { ...s, run: {} } : s;
    case 'setKernelspec': {
      const metadata = { ...((s.doc.top.metadata as Record<string, unknown>) ?? {}) };
      metadata.kernelspec = { display_name: a.displayName, language: a.language, name: a.name };
      return { ...s, doc: { ...s.doc, top: { ...s.doc.top, metadata } }, version: s.version + 1 };
    }
    case 'saved':
      return { ...s, savedVersion: a.version };
    case 'batch':
      return a.actions.reduce(notebookReducer, s);
  }
}

/** Keys of the code cells to run for "run all" / "run above" / one cell. */
export function codeKeys(s: NotebookState, which: 'all' | 'above' | 'selected', selected = s.selected): string[] {
  const cells = s.doc.cells;
  const at = cells.findIndex((c) => c.key === selected);
  const range = which === 'all' ? cells : which === 'above' ? cells.slice(0, Math.max(0, at)) : at >= 0 ? [cells[at]!] : [];
  return range.filter((c) => c.cell.cell_type === 'code').map((c) => c.key);
}

export function kernelNameOf(s: NotebookState): string | undefined {
  const spec = (s.doc.top.metadata as { kernelspec?: { name?: unknown } } | undefined)?.kernelspec;
  return typeof spec?.name === 'string' ? spec.name : undefined;
}

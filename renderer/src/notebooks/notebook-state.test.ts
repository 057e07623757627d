import { describe, expect, it } from 'vitest';
import type { NotebookContent } from '../../../engine/api/contract';
import { toContent } from './notebook-doc';
import { codeKeys, initialState, isDirty, kernelNameOf, notebookReducer, type NotebookState } from './notebook-state';

const content: NotebookContent = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { cell_type: 'markdown', id: 'm', metadata: {}, source: '# T' },
    { cell_type: 'code', id: 'a', metadata: {}, source: 'x = 1', outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }], execution_count: 4 },
    { cell_type: 'code', id: 'b', metadata: {}, source: 'print(x)', outputs: [], execution_count: null },
  ],
};

const keys = (s: NotebookState) => s.doc.cells.map((c) => c.key);

describe('notebook editor state', () => {
  it('starts clean and unchanged; an edit makes it dirty until that version is saved', () => {
    let s = initialState(structuredClone(content));
    expect(isDirty(s)).toBe(false);
    expect(toContent(s.doc)).toEqual(content);
    s = notebookReducer(s, { type: 'edit', key: keys(s)[1]!, text: 'x = 2' });
    const saving = s.version;
    s = notebookReducer(s, { type: 'edit', key: keys(s)[1]!, text: 'x = 3' });
    s = notebookReducer(s, { type: 'saved', version: saving });
    expect(isDirty(s)).toBe(true); // edited while the save was in flight
    s = notebookReducer(s, { type: 'saved', version: s.version });
    expect(isDirty(s)).toBe(false);
  });

  it('runs cells: queued clears outputs, started sets the count, outputs arrive, done ends it', () => {
    let s = initialState(structuredClone(content));
    const [, a] = keys(s) as [string, string, string];
    s = notebookReducer(s, { type: 'queued', keys: [a] });
    expect(s.run[a]).toBe('queued');
    expect(s.doc.cells[1]!.cell.outputs).toEqual([]);
    s = notebookReducer(s, { type: 'started', key: a, executionCount: 7 });
    expect(s.run[a]).toBe('running');
    s = notebookReducer(s, {
      type: 'batch',
      actions: [
        { type: 'output', event: { op: 'set', sessionId: 's', cellId: a, index: 0, output: { output_type: 'stream', name: 'stdout', text: 'hi' } } },
        { type: 'output', event: { op: 'appendText', sessionId: 's', cellId: a, index: 0, text: '!' } },
      ],
    });
    s = notebookReducer(s, { type: 'done', key: a, status: 'ok', executionCount: 7 });
    expect(s.run).toEqual({});
    expect(s.doc.cells[1]!.cell).toMatchObject({ execution_count: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi!' }] });
  });

  it('inserts, moves, retypes and deletes cells', () => {
    let s = initialState(structuredClone(content));
    s = notebookReducer(s, { type: 'insert', index: 3, cellType: 'code' });
    expect(s.doc.cells).toHaveLength(4);
    expect(s.selected).toBe(keys(s)[3]);
    expect(s.doc.cells[3]!.cell.id).toMatch(/^[0-9a-f]{8}$/);
    const last = keys(s)[3]!;
    s = notebookReducer(s, { type: 'move', key: last, delta: -1 });
    expect(keys(s)[2]).toBe(last);
    s = notebookReducer(s, { type: 'setType', key: last, cellType: 'markdown' });
    expect(s.doc.cells[2]!.cell.cell_type).toBe('markdown');
    s = notebookReducer(s, { type: 'delete', key: last });
    expect(s.doc.cells).toHaveLength(3);
    expect(s.selected).toBe(keys(s)[2]);
  });

  it('picks the code cells for run all, run above and the selected cell', () => {
    const s = initialState(structuredClone(content));
    const [m, a, b] = keys(s) as [string, string, string];
    expect(codeKeys(s, 'all')).toEqual([a, b]);
    expect(codeKeys(s, 'above', b)).toEqual([a]);
    expect(codeKeys(s, 'selected', m)).toEqual([]);
    expect(codeKeys(s, 'selected', b)).toEqual([b]);
  });

  it('records the chosen kernel in the notebook metadata', () => {
    let s = initialState(structuredClone(content));
    expect(kernelNameOf(s)).toBe('python3');
    s = notebookReducer(s, { type: 'setKernelspec', name: 'conda-ml', displayName: 'ML', language: 'python' });
    expect(kernelNameOf(s)).toBe('conda-ml');
    expect(isDirty(s)).toBe(true);
  });
});

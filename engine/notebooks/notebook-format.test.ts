import { describe, expect, it } from 'vitest';
import { checkNotebook, joinSource, newNotebook, parseNotebook, sameNotebook, serializeNotebook, splitLines, type NotebookDoc } from './notebook-format.js';

describe('splitLines', () => {
  it('matches Python str.splitlines(True)', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\r\nb\rc\x0cd\u2028e')).toEqual(['a\r\n', 'b\r', 'c\x0c', 'd\u2028', 'e']);
  });
});

describe('checkNotebook', () => {
  it('names the field that is wrong', () => {
    expect(() => parseNotebook('{', 'x.ipynb')).toThrow(/x\.ipynb: not valid JSON/);
    expect(() => checkNotebook({ nbformat: 3 })).toThrow(/nbformat: version 3 is not supported.*nbconvert/);
    const nb = newNotebook();
    (nb.cells[0] as Record<string, unknown>).source = 42;
    expect(() => checkNotebook(nb, 'a.ipynb')).toThrow('a.ipynb: cells[0].source: expected a string or a list of strings');
    const nb2 = newNotebook();
    delete (nb2.cells[0] as Record<string, unknown>).outputs;
    expect(() => checkNotebook(nb2)).toThrow(/cells\[0\]\.outputs/);
  });
});

describe('serializeNotebook', () => {
  it('writes like nbformat: sorted keys, indent 1, split lines, transient fields dropped, final newline', () => {
    const nb: NotebookDoc = {
      nbformat_minor: 5,
      nbformat: 4,
      metadata: { zeta: 1, alpha: { b: 2, a: 1 }, signature: 'x' },
      cells: [
        { id: 'c1', cell_type: 'code', source: 'print(1)\nprint(2)', metadata: { trusted: true }, execution_count: 1, outputs: [
          { output_type: 'stream', name: 'stdout', text: '1\n2\n' },
          { output_type: 'display_data', metadata: {}, data: { 'text/plain': 'a\nb', 'image/png': 'AAAA\nBBBB', 'application/json': { k: 'v\nw' } } },
        ] },
      ],
    };
    const text = serializeNotebook(nb);
    expect(text.endsWith('}\n')).toBe(true);
    const back = JSON.parse(text);
    expect(Object.keys(back)).toEqual(['cells', 'metadata', 'nbformat', 'nbformat_minor']);
    expect(back.metadata).toEqual({ alpha: { a: 1, b: 2 }, zeta: 1 });
    expect(back.cells[0].metadata).toEqual({});
    expect(back.cells[0].source).toEqual(['print(1)\n', 'print(2)']);
    expect(back.cells[0].outputs[0].text).toEqual(['1\n', '2\n']);
    // text/* split; image/png and JSON left alone, as nbformat does.
    expect(back.cells[0].outputs[1].data).toEqual({ 'application/json': { k: 'v\nw' }, 'image/png': 'AAAA\nBBBB', 'text/plain': ['a\n', 'b'] });
    expect(text).toContain('\n "cells": [\n  {\n   "cell_type": "code",');
    // The input is not modified.
    expect(nb.cells[0]!.source).toBe('print(1)\nprint(2)');
  });

  it('is stable: serializing its own output again changes nothing', () => {
    const text = serializeNotebook(newNotebook());
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
  });
});

describe('sameNotebook', () => {
  it('ignores string vs list-of-lines differences, not content', () => {
    const a = newNotebook();
    const b = structuredClone(a);
    b.cells[0]!.source = ['x = 1\n', 'y'];
    const c = structuredClone(a);
    c.cells[0]!.source = 'x = 1\ny';
    expect(sameNotebook(b, c)).toBe(true);
    expect(sameNotebook(a, c)).toBe(false);
    expect(joinSource(b.cells[0]!.source)).toBe('x = 1\ny');
  });
});

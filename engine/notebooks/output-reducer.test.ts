import { describe, expect, it } from 'vitest';
import { applyControlChars, OutputReducer } from './output-reducer.js';

describe('applyControlChars', () => {
  it('overwrites with \\r like a terminal and keeps a pending \\r on the last line', () => {
    expect(applyControlChars('10%\r20%\r30%\ndone\n')).toBe('30%\ndone\n');
    expect(applyControlChars('abcdef\rXY')).toBe('XYcdef');
    expect(applyControlChars(' 50%\r')).toBe(' 50%\r');
    expect(applyControlChars('line\r\nnext')).toBe('line\nnext');
  });
  it('applies backspaces', () => {
    expect(applyControlChars('abc\x08\x08d')).toBe('ad');
  });
});

describe('OutputReducer', () => {
  it('merges consecutive stream chunks of the same name and splits stdout from stderr', () => {
    const r = new OutputReducer();
    expect(r.handle('c', 'stream', { name: 'stdout', text: 'a\n' })).toEqual([
      { op: 'set', cellId: 'c', index: 0, output: { output_type: 'stream', name: 'stdout', text: 'a\n' } },
    ]);
    expect(r.handle('c', 'stream', { name: 'stdout', text: 'b\n' })).toEqual([{ op: 'appendText', cellId: 'c', index: 0, text: 'b\n' }]);
    expect(r.handle('c', 'stream', { name: 'stderr', text: 'oops\n' })[0]).toMatchObject({ op: 'set', index: 1 });
    expect(r.outputsOf('c')).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
    ]);
  });

  it('collapses a progress bar written with \\r into one line', () => {
    const r = new OutputReducer();
    r.handle('c', 'stream', { name: 'stdout', text: '\r 10%' });
    const ops = r.handle('c', 'stream', { name: 'stdout', text: '\r 20%' });
    expect(ops[0]).toMatchObject({ op: 'set', index: 0 });
    r.handle('c', 'stream', { name: 'stdout', text: '\r100%\n' });
    expect(r.outputsOf('c')[0]!.text).toBe('100%\n');
  });

  it('stores execute_result, display_data and error in nbformat shape', () => {
    const r = new OutputReducer();
    r.handle('c', 'execute_result', { data: { 'text/plain': '2' }, metadata: {}, execution_count: 3 });
    r.handle('c', 'display_data', { data: { 'image/png': 'AAA' }, metadata: { 'image/png': { width: 10 } }, transient: {} });
    r.handle('c', 'error', { ename: 'ValueError', evalue: 'bad', traceback: ['\x1b[31mValueError\x1b[0m: bad'] });
    expect(r.outputsOf('c')).toEqual([
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} },
      { output_type: 'display_data', data: { 'image/png': 'AAA' }, metadata: { 'image/png': { width: 10 } } },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\x1b[31mValueError\x1b[0m: bad'] },
    ]);
  });

  it('clear_output(wait=True) clears only when the next output arrives', () => {
    const r = new OutputReducer();
    r.handle('c', 'stream', { name: 'stdout', text: 'frame 1\n' });
    expect(r.handle('c', 'clear_output', { wait: true })).toEqual([]);
    expect(r.outputsOf('c')).toHaveLength(1);
    const ops = r.handle('c', 'stream', { name: 'stdout', text: 'frame 2\n' });
    expect(ops.map((o) => o.op)).toEqual(['clear', 'set']);
    expect(r.outputsOf('c')).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 2\n' }]);
  });

  it('clear_output without wait clears at once', () => {
    const r = new OutputReducer();
    r.handle('c', 'stream', { name: 'stdout', text: 'x' });
    expect(r.handle('c', 'clear_output', { wait: false })).toEqual([{ op: 'clear', cellId: 'c' }]);
    expect(r.outputsOf('c')).toEqual([]);
  });

  it('update_display_data rewrites every output with that display_id, in any cell', () => {
    const r = new OutputReducer();
    r.handle('a', 'display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } });
    r.handle('b', 'stream', { name: 'stdout', text: 'hi\n' });
    r.handle('b', 'display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } });
    const ops = r.handle('b', 'update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } });
    expect(ops).toEqual([
      { op: 'set', cellId: 'a', index: 0, output: { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} } },
      { op: 'set', cellId: 'b', index: 1, output: { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} } },
    ]);
    // Re-running cell a forgets its display: later updates reach only b.
    expect(r.reset('a')).toEqual([{ op: 'clear', cellId: 'a' }]);
    expect(r.handle('b', 'update_display_data', { data: { 'text/plain': 'v3' }, metadata: {}, transient: { display_id: 'd' } })).toHaveLength(1);
    expect(r.handle('b', 'update_display_data', { data: {}, metadata: {}, transient: { display_id: 'unknown' } })).toEqual([]);
  });

  it('ignores messages that are not outputs', () => {
    const r = new OutputReducer();
    expect(r.handle('c', 'status', { execution_state: 'busy' })).toEqual([]);
    expect(r.handle('c', 'execute_input', { code: '1' })).toEqual([]);
    expect(r.reset('c')).toEqual([]);
  });
});

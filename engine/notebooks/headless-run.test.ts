/**
 * Headless runs (`notebooks.runFile`, what `kfd notebook run` calls) on a real kernel: outputs
 * and counts written into the notebook, the first failing cell named, a per-cell timeout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookHarness, notebookWith, requireJupyter, tempDir } from './test-support.js';

describe.runIf(requireJupyter())('headless notebook runs (real Jupyter)', () => {
  let h: NotebookHarness;
  let dir: string;
  beforeAll(() => {
    h = new NotebookHarness();
    dir = tempDir('headless');
  });
  afterAll(() => h?.close());

  it('runs every code cell in the notebook\'s folder and writes outputs and counts', async () => {
    const file = path.join(dir, 'ok.ipynb');
    fs.writeFileSync(path.join(dir, 'helper.py'), 'VALUE = 21\n');
    fs.writeFileSync(file, JSON.stringify(notebookWith({ markdown: '# Title' }, 'from helper import VALUE\nprint(VALUE * 2)', '', 'import matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.show()', 'VALUE')));
    const progress = h.waitFor('notebooks.runProgress', (p) => p.codeCell === 4);
    const r = await h.call('notebooks.runFile', { path: file });
    expect(r).toMatchObject({ output: file, codeCells: 4, executed: 3, failed: null });
    await progress;
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(nb.cells[1].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['42\n'] }]);
    expect(nb.cells[1].execution_count).toBe(1);
    expect(nb.cells[2].execution_count).toBeNull(); // empty cell skipped
    expect(Object.keys(nb.cells[3].outputs[0].data)).toContain('image/png');
    expect(nb.cells[4].outputs[0]).toMatchObject({ output_type: 'execute_result', data: { 'text/plain': ['21'] }, execution_count: 3 });
    expect(nb.metadata.custom).toEqual({ keep: true });
    expect(nb.metadata.language_info.name).toBe('python');
    expect(await h.call('notebooks.sessions', {})).toEqual([]); // its kernel is gone
  });

  it('stops at the first failing cell, names it, and still writes the error into --output', async () => {
    const file = path.join(dir, 'fails.ipynb');
    const out = path.join(dir, 'out', 'fails-run.ipynb');
    fs.writeFileSync(file, JSON.stringify(notebookWith('a = 1', 'raise RuntimeError("cell two broke")', 'print("never")')));
    const before = fs.readFileSync(file, 'utf8');
    const r = await h.call('notebooks.runFile', { path: file, output: out });
    expect(r.failed).toEqual({ index: 1, cellId: 'c1', ename: 'RuntimeError', evalue: 'cell two broke', timedOut: false });
    expect(r.executed).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toBe(before); // the input is untouched with --output
    const nb = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(nb.cells[1].outputs[0]).toMatchObject({ output_type: 'error', ename: 'RuntimeError' });
    expect(nb.cells[2].outputs).toEqual([]);
  });

  it('interrupts a cell that passes the per-cell timeout', async () => {
    const file = path.join(dir, 'slow.ipynb');
    fs.writeFileSync(file, JSON.stringify(notebookWith('import time\ntime.sleep(60)', 'print("after")')));
    const t0 = Date.now();
    const r = await h.call('notebooks.runFile', { path: file, timeoutSec: 1 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.failed).toMatchObject({ index: 0, ename: 'Timeout', timedOut: true });
  }, 60_000);

  it('says what is wrong with a file that is not a notebook', async () => {
    const file = path.join(dir, 'bad.ipynb');
    fs.writeFileSync(file, 'not json');
    await expect(h.call('notebooks.runFile', { path: file })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('not valid JSON') });
    await expect(h.call('notebooks.runFile', { path: path.join(dir, 'missing.ipynb') })).rejects.toMatchObject({ code: 'not_found' });
  });
});

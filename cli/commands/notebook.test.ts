/** `kfd notebook run` as a user runs it (bin/kfd.mjs) against the real Jupyter, plus its pure helpers. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { notebookWith, requireJupyter, tempDir } from '../../engine/notebooks/test-support.js';
import { describeFailure, parseSeconds } from './notebook.js';

describe('notebook command helpers', () => {
  it('parses seconds and names the failing cell the way a notebook UI counts', () => {
    expect(parseSeconds('2.5')).toBe(2.5);
    expect(() => parseSeconds('0')).toThrow(/greater than 0/);
    expect(() => parseSeconds('1m')).toThrow(/not a number of seconds/);
    expect(describeFailure({ index: 2, cellId: 'abc', ename: 'ValueError', evalue: 'bad', timedOut: false })).toBe('cell 3 (id abc) failed: ValueError: bad');
    expect(describeFailure({ index: 0, cellId: null, ename: 'Timeout', evalue: '', timedOut: true }, 5)).toBe(
      'cell 1 ran longer than the 5 s timeout and was interrupted',
    );
  });
});

describe.runIf(requireJupyter())('kfd notebook run (real Jupyter)', () => {
  it('writes outputs into the notebook and exits 0; exits 1 naming the failing cell', async () => {
    const dir = tempDir('cli');
    const data = tempDir('cli-data');
    const ok = path.join(dir, 'ok.ipynb');
    fs.writeFileSync(ok, JSON.stringify(notebookWith('print("hello from kfd")', '3 * 3')));
    const r = await kfd(data, ['notebook', 'run', ok], 120_000);
    expect(r.stderr).toContain('[2/2] cell 2: ok');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ok}\n`); // nothing else on stdout
    const nb = JSON.parse(fs.readFileSync(ok, 'utf8'));
    expect(nb.cells[0].outputs[0].text).toEqual(['hello from kfd\n']);
    expect(nb.cells[1].outputs[0].data['text/plain']).toEqual(['9']);

    const bad = path.join(dir, 'bad.ipynb');
    const out = path.join(dir, 'bad-out.ipynb');
    fs.writeFileSync(bad, JSON.stringify(notebookWith('x = 1', '1 / 0')));
    const failed = await kfd(data, ['notebook', 'run', bad, '--output', out, '--json'], 120_000);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('cell 2 (id c1) failed: ZeroDivisionError: division by zero');
    expect(JSON.parse(failed.stdout)).toMatchObject({ output: out, failed: { index: 1, ename: 'ZeroDivisionError' } });
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).cells[1].outputs[0].ename).toBe('ZeroDivisionError');

    const missing = await kfd(data, ['notebook', 'run', path.join(dir, 'nope.ipynb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.ipynb');
  }, 240_000);
});

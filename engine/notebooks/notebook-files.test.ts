/**
 * .ipynb files on a real disk, checked against Python's own nbformat: an unchanged notebook is
 * left byte-identical, an edited one is written exactly as `nbformat.write` would write it
 * (unknown metadata kept), external edits are conflicts, and paths stay inside the workspace.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNotebook, listNotebooks, readNotebook, saveNotebook, statNotebook } from './notebook-files.js';
import { newNotebook } from './notebook-format.js';
import { PYTHON, tempDir } from './test-support.js';
import { probePython } from '../jobs/test-support/python.js';
import { reportMissingPart } from '../test-support/real-parts.js';

const hasNbformat = !probePython('import nbformat');
if (!hasNbformat) {
  reportMissingPart('python3-nbformat', `${probePython('import nbformat')} (sudo apt-get install python3-nbformat)`);
}

/** Python writes a notebook rich in everything a round trip could lose. */
const WRITE_REFERENCE = `
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_output
nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                            "vscode": {"interpreter": {"hash": "abc"}}, "custom": {"z": 1, "a": [1, 2.5, None]}})
nb.cells = [
  new_markdown_cell("# Titel — ünïcödé ✓\\n\\nSome *text*.", metadata={"tags": ["intro"]}),
  new_code_cell("x = 1\\nprint(x)", execution_count=3, outputs=[
    new_output("stream", name="stdout", text="1\\nmore\\n"),
    new_output("display_data", data={"text/html": "<b>a</b>\\n<i>b</i>", "text/plain": "<IPython.core.display.HTML object>", "image/png": "iVBORw0KGgo="}, metadata={"image/png": {"width": 10}}),
    new_output("execute_result", data={"text/plain": "42", "application/json": {"k": "v"}}, execution_count=3),
    new_output("error", ename="ValueError", evalue="bad", traceback=["\\x1b[31mValueError\\x1b[0m: bad"]),
  ], metadata={"collapsed": False, "scrolled": True}),
  new_code_cell(""),
]
for i, c in enumerate(nb.cells): c["id"] = "cell-%d" % i
nbformat.write(nb, sys.argv[1])
`;

const EDIT_LIKE_PYTHON = `
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)
nb.cells[1].source = "x = 2\\ny = 3"
nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\\n")]
nbformat.write(nb, sys.argv[2])
`;

describe.runIf(hasNbformat)('notebook files vs Python nbformat', () => {
  it('leaves an unchanged notebook byte-identical and writes an edited one exactly like nbformat', async () => {
    const root = tempDir('rt');
    const file = path.join(root, 'ref.ipynb');
    execFileSync(PYTHON, ['-c', WRITE_REFERENCE, file]);
    const original = fs.readFileSync(file);
    fs.copyFileSync(file, file + '.orig');

    const opened = await readNotebook(root, 'ref.ipynb');
    const same = await saveNotebook({ root, path: 'ref.ipynb', content: structuredClone(opened.doc), baseHash: opened.hash, force: false });
    expect(same).toMatchObject({ written: false, hash: opened.hash });
    expect(fs.readFileSync(file).equals(original)).toBe(true);

    // What the editor sends after editing one cell and running another: joined strings.
    const edited = structuredClone(opened.doc);
    edited.cells[1]!.source = 'x = 2\ny = 3';
    edited.cells[2]!.outputs = [{ output_type: 'stream', name: 'stdout', text: 'hi\n' }];
    const saved = await saveNotebook({ root, path: 'ref.ipynb', content: edited, baseHash: opened.hash, force: false });
    expect(saved.written).toBe(true);

    const expected = path.join(root, 'expected.ipynb');
    execFileSync(PYTHON, ['-c', EDIT_LIKE_PYTHON, file + '.orig', expected]);
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(expected, 'utf8'));
  });
});

describe('notebook files', () => {
  it('an unchanged notebook with unsorted keys is not rewritten', async () => {
    const root = tempDir('tpl');
    fs.copyFileSync(path.join(import.meta.dirname, '../../templates/notebook-starter/explore.ipynb'), path.join(root, 'explore.ipynb'));
    const before = fs.readFileSync(path.join(root, 'explore.ipynb'));
    const nb = await readNotebook(root, 'explore.ipynb');
    expect((await saveNotebook({ root, path: 'explore.ipynb', content: nb.doc, baseHash: nb.hash, force: false })).written).toBe(false);
    expect(fs.readFileSync(path.join(root, 'explore.ipynb')).equals(before)).toBe(true);
  });

  it('refuses to overwrite a file changed on disk since it was opened, unless forced', async () => {
    const root = tempDir('conflict');
    const created = await createNotebook(root, 'n.ipynb', newNotebook());
    const onDisk = JSON.parse(fs.readFileSync(path.join(root, 'n.ipynb'), 'utf8'));
    onDisk.cells[0].source = ['changed elsewhere'];
    fs.writeFileSync(path.join(root, 'n.ipynb'), JSON.stringify(onDisk));
    const stat = await statNotebook(root, 'n.ipynb');
    expect(stat.hash).not.toBe(created.hash);
    const mine = structuredClone(created.doc);
    mine.cells[0]!.source = 'mine';
    await expect(saveNotebook({ root, path: 'n.ipynb', content: mine, baseHash: created.hash, force: false })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('changed on disk'),
    });
    const forced = await saveNotebook({ root, path: 'n.ipynb', content: mine, baseHash: created.hash, force: true });
    expect(forced.written).toBe(true);
    expect((await readNotebook(root, 'n.ipynb')).doc.cells[0]!.source).toEqual(['mine']);
    await expect(createNotebook(root, 'n.ipynb', newNotebook())).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps every path inside the workspace', async () => {
    const root = tempDir('confine');
    const outside = tempDir('outside');
    fs.writeFileSync(path.join(outside, 'secret.ipynb'), JSON.stringify(newNotebook()));
    fs.symlinkSync(path.join(outside, 'secret.ipynb'), path.join(root, 'link.ipynb'));
    await expect(readNotebook(root, '../outside/secret.ipynb')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readNotebook(root, '/etc/passwd.ipynb')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readNotebook(root, 'link.ipynb')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('outside the workspace') });
    await expect(readNotebook(root, 'notes.txt')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(readNotebook(path.join(root, 'missing'), 'a.ipynb')).rejects.toMatchObject({ code: 'not_found' });
    fs.writeFileSync(path.join(root, 'broken.ipynb'), '{"nbformat": 3}');
    await expect(readNotebook(root, 'broken.ipynb')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('nbformat 4') });
  });

  it('lists notebooks below the root, skipping venvs, node_modules and checkpoints', async () => {
    const root = tempDir('list');
    for (const rel of ['a.ipynb', 'sub/b.ipynb', 'node_modules/x.ipynb', '.ipynb_checkpoints/a-checkpoint.ipynb', '.venv/c.ipynb', 'sub/readme.md']) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '{}');
    }
    const listed = await listNotebooks(root);
    expect(listed.files.map((f) => f.path)).toEqual(['a.ipynb', 'sub/b.ipynb']);
    expect(listed.root).toBe(fs.realpathSync(root));
  });
});

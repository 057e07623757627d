import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_EDITABLE_BYTES } from '../api/schemas/workspace.js';
import { tempWorkspace, type TempWorkspace } from './test-support.js';
import {
  deleteWorkspaceEntry,
  listTree,
  makeWorkspaceDir,
  readWorkspaceFile,
  renameWorkspaceEntry,
  writeWorkspaceFile,
} from './workspace-files.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

describe('listTree', () => {
  it('lists files and folders, marks skipped folders without walking them, never follows links', async () => {
    t.write('train.py', 'x');
    t.write('src/model.py', 'y');
    t.write('node_modules/pkg/index.js', 'z');
    t.write('.git/HEAD', 'ref');
    t.write('env/pyvenv.cfg', 'home = /usr');
    t.write('env/lib/site.py', '');
    symlinkSync(path.join(t.root, 'src'), path.join(t.root, 'src-link'));
    symlinkSync(t.outside, path.join(t.root, 'out'));
    const { entries, truncated } = await listTree(t.root);
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]));
    expect(truncated).toBe(false);
    expect(Object.keys(byPath).sort()).toEqual(['.git', 'env', 'node_modules', 'out', 'src', 'src-link', 'src/model.py', 'train.py']);
    expect(byPath['node_modules']).toMatchObject({ kind: 'dir', skipped: true });
    expect(byPath['env']).toMatchObject({ kind: 'dir', skipped: true }); // a virtualenv by its pyvenv.cfg
    expect(byPath['src-link']).toMatchObject({ kind: 'dir', symlink: true });
    expect(byPath['out']).toMatchObject({ kind: 'other', symlink: true }); // leads outside: not shown as a folder
    expect(byPath['train.py']).toMatchObject({ kind: 'file', size: 1, skipped: false });
  });

  it('stops at the limit, top levels first', async () => {
    for (let i = 0; i < 5; i++) t.write(`d${i}/f.txt`, '');
    const { entries, truncated } = await listTree(t.root, 6);
    expect(truncated).toBe(true);
    expect(entries.slice(0, 5).every((e) => e.kind === 'dir')).toBe(true);
  });
});

describe('readWorkspaceFile', () => {
  it('reads text with an etag that follows the content', async () => {
    t.write('a.py', 'print("héllo")\n');
    const first = await readWorkspaceFile(t.root, 'a.py');
    expect(first).toMatchObject({ path: 'a.py', text: 'print("héllo")\n', readOnly: false, readOnlyReason: null, truncated: false });
    expect((await readWorkspaceFile(t.root, 'a.py')).etag).toBe(first.etag);
    t.write('a.py', 'print("hello")\n');
    expect((await readWorkspaceFile(t.root, 'a.py')).etag).not.toBe(first.etag);
  });

  it('opens binary files read-only without their bytes', async () => {
    t.write('model.pt', new Uint8Array([0x80, 0x02, 0x00, 0x63, 0xff]));
    t.write('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // not UTF-8
    for (const rel of ['model.pt', 'latin1.txt']) {
      expect(await readWorkspaceFile(t.root, rel)).toMatchObject({ text: '', readOnly: true, readOnlyReason: 'binary' });
    }
  });

  it('opens files over 2 MiB read-only, sending only their beginning', async () => {
    const abs = t.write('big.log', 'line\n');
    writeFileSync(abs, 'x'.repeat(MAX_EDITABLE_BYTES + 10));
    const big = await readWorkspaceFile(t.root, 'big.log');
    expect(big).toMatchObject({ readOnly: true, readOnlyReason: 'large', truncated: true, size: MAX_EDITABLE_BYTES + 10 });
    expect(big.text.length).toBe(MAX_EDITABLE_BYTES);
    await expect(writeWorkspaceFile(t.root, { path: 'big.log', text: 'x', etag: big.etag, force: false })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('refuses folders and escapes', async () => {
    mkdirSync(path.join(t.root, 'src'));
    symlinkSync(path.join(t.outside, 'secret.txt'), path.join(t.root, 'secret.txt'));
    await expect(readWorkspaceFile(t.root, 'src')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('is a folder') });
    await expect(readWorkspaceFile(t.root, '../outside/secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readWorkspaceFile(t.root, path.join(t.outside, 'secret.txt'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readWorkspaceFile(t.root, 'secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('writeWorkspaceFile', () => {
  it('saves with the etag it read, and answers conflict when the file changed on disk meanwhile', async () => {
    t.write('train.py', 'LR = 0.1\n');
    const opened = await readWorkspaceFile(t.root, 'train.py');
    const saved = await writeWorkspaceFile(t.root, { path: 'train.py', text: 'LR = 0.2\n', etag: opened.etag, force: false });
    expect(readFileSync(path.join(t.root, 'train.py'), 'utf8')).toBe('LR = 0.2\n');
    t.write('train.py', 'LR = 0.3  # edited elsewhere\n');
    const stale = writeWorkspaceFile(t.root, { path: 'train.py', text: 'LR = 0.4\n', etag: saved.etag, force: false });
    await expect(stale).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('changed on disk') });
    expect(readFileSync(path.join(t.root, 'train.py'), 'utf8')).toBe('LR = 0.3  # edited elsewhere\n');
    // "Overwrite" in the conflict prompt:
    await writeWorkspaceFile(t.root, { path: 'train.py', text: 'LR = 0.4\n', etag: saved.etag, force: true });
    expect(readFileSync(path.join(t.root, 'train.py'), 'utf8')).toBe('LR = 0.4\n');
  });

  it('creates new files (and their folders) only when they do not exist yet', async () => {
    const created = await writeWorkspaceFile(t.root, { path: 'src/new.py', text: 'x = 1\n', etag: null, force: false });
    expect(created).toMatchObject({ path: 'src/new.py', size: 6 });
    await expect(writeWorkspaceFile(t.root, { path: 'src/new.py', text: '', etag: null, force: false })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already exists'),
    });
    const etag = (await readWorkspaceFile(t.root, 'src/new.py')).etag;
    expect(etag).toBe(created.etag);
  });

  it('answers conflict when the file was deleted on disk after it was opened', async () => {
    t.write('a.py', '1');
    const { etag } = await readWorkspaceFile(t.root, 'a.py');
    await deleteWorkspaceEntry(t.root, 'a.py');
    await expect(writeWorkspaceFile(t.root, { path: 'a.py', text: '2', etag, force: false })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('deleted on disk'),
    });
  });

  it('never writes outside: "..", absolute paths and symlinks that escape', async () => {
    symlinkSync(path.join(t.outside, 'secret.txt'), path.join(t.root, 'link.txt'));
    symlinkSync(t.outside, path.join(t.root, 'out'));
    for (const rel of ['../outside/secret.txt', path.join(t.outside, 'secret.txt'), 'link.txt', 'out/secret.txt', 'out/new.txt']) {
      await expect(writeWorkspaceFile(t.root, { path: rel, text: 'pwned', etag: null, force: true })).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(readFileSync(path.join(t.outside, 'secret.txt'), 'utf8')).toBe('not yours\n');
    expect(existsSync(path.join(t.outside, 'new.txt'))).toBe(false);
  });
});

describe('rename, delete, mkdir', () => {
  it('renames and moves files and folders, refusing to overwrite', async () => {
    t.write('a.py', 'a');
    t.write('b.py', 'b');
    expect(await renameWorkspaceEntry(t.root, 'a.py', 'src/a.py')).toEqual({ from: 'a.py', to: 'src/a.py' });
    expect(readFileSync(path.join(t.root, 'src', 'a.py'), 'utf8')).toBe('a');
    await expect(renameWorkspaceEntry(t.root, 'b.py', 'src/a.py')).rejects.toMatchObject({ code: 'conflict' });
    await expect(renameWorkspaceEntry(t.root, 'src', 'src/inner')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(renameWorkspaceEntry(t.root, 'b.py', '../outside/b.py')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(renameWorkspaceEntry(t.root, 'missing.py', 'x.py')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deletes files and whole folders; deleting a link leaves its target alone', async () => {
    t.write('src/a.py', 'a');
    symlinkSync(t.outside, path.join(t.root, 'out'));
    await expect(deleteWorkspaceEntry(t.root, 'out/secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await deleteWorkspaceEntry(t.root, 'src');
    await deleteWorkspaceEntry(t.root, 'out');
    expect(existsSync(path.join(t.root, 'src'))).toBe(false);
    expect(existsSync(path.join(t.root, 'out'))).toBe(false);
    expect(readFileSync(path.join(t.outside, 'secret.txt'), 'utf8')).toBe('not yours\n');
    await expect(deleteWorkspaceEntry(t.root, 'src')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('makes folders, once', async () => {
    await makeWorkspaceDir(t.root, 'data/raw');
    await expect(makeWorkspaceDir(t.root, 'data/raw')).rejects.toMatchObject({ code: 'conflict' });
    await expect(makeWorkspaceDir(t.root, '../escape')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

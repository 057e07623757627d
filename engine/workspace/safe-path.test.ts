import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEntry, resolveExisting, resolveForWrite, splitRelative } from './safe-path.js';
import { tempWorkspace, type TempWorkspace } from './test-support.js';

describe('splitRelative', () => {
  it('splits a relative path and drops "." and empty segments', () => {
    expect(splitRelative('src/./model.py')).toEqual(['src', 'model.py']);
    expect(splitRelative('a//b/')).toEqual(['a', 'b']);
  });

  it.each([
    ['../secret.txt', '".." is not allowed'],
    ['src/../../x', '".." is not allowed'],
    ['src/..', '".." is not allowed'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:\\Windows\\win.ini', 'absolute paths are not allowed'],
    ['\\\\server\\share', 'absolute paths are not allowed'],
    ['a\0b', 'NUL character'],
    ['.', 'the workspace folder itself'],
  ])('refuses %j', (rel, why) => {
    expect(() => splitRelative(rel)).toThrow(why);
  });

  it('treats backslashes as separators only on Windows', () => {
    expect(splitRelative('a\\b.py', 'linux')).toEqual(['a\\b.py']);
    expect(splitRelative('a\\b.py', 'win32')).toEqual(['a', 'b.py']);
    expect(() => splitRelative('a\\..\\..\\x', 'win32')).toThrow('".." is not allowed');
  });
});

describe('resolving paths inside a workspace', () => {
  let t: TempWorkspace;
  beforeEach(() => {
    t = tempWorkspace();
  });
  afterEach(() => t.cleanup());

  it('resolves files inside, including through a symlink that stays inside', async () => {
    const file = t.write('src/train.py', 'print(1)\n');
    symlinkSync(path.join(t.root, 'src'), path.join(t.root, 'code'));
    expect(await resolveExisting(t.root, 'src/train.py')).toBe(file);
    expect(await resolveExisting(t.root, 'code/train.py')).toBe(file);
  });

  it('refuses a symlinked file or folder that leads outside', async () => {
    symlinkSync(path.join(t.outside, 'secret.txt'), path.join(t.root, 'link.txt'));
    symlinkSync(t.outside, path.join(t.root, 'out'));
    await expect(resolveExisting(t.root, 'link.txt')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('outside the workspace') });
    await expect(resolveExisting(t.root, 'out/secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(resolveForWrite(t.root, 'link.txt')).rejects.toMatchObject({ code: 'forbidden' });
    // A new file inside a linked folder that leads outside is refused too.
    await expect(resolveForWrite(t.root, 'out/new.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(resolveEntry(t.root, 'out/deeper/new.txt')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses writing through a dangling symlink (it would create a file wherever it points)', async () => {
    symlinkSync(path.join(t.outside, 'not-yet.txt'), path.join(t.root, 'dangling.txt'));
    await expect(resolveForWrite(t.root, 'dangling.txt')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('does not exist') });
  });

  it('resolves an entry itself (not its target) for rename and delete, and new nested paths', async () => {
    symlinkSync(t.outside, path.join(t.root, 'out'));
    expect(await resolveEntry(t.root, 'out')).toBe(path.join(t.root, 'out'));
    expect(await resolveEntry(t.root, 'new/deep/file.py')).toBe(path.join(t.root, 'new', 'deep', 'file.py'));
  });

  it('says when a file does not exist', async () => {
    await expect(resolveExisting(t.root, 'nope.py')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('nope.py does not exist') });
  });
});

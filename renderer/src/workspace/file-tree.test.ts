import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../../engine/api/contract';
import { ancestors, buildTree, checkName, isWithin, parentOf, renamedPath, visibleRows } from './file-tree';

const file = (path: string): FileEntry => ({ path, kind: 'file', size: 1, mtimeMs: 0, symlink: false, skipped: false });
const dir = (path: string): FileEntry => ({ ...file(path), kind: 'dir', size: 0 });

describe('file tree', () => {
  const entries = [file('train.py'), dir('src'), file('README.md'), file('src/file10.py'), file('src/file2.py'), dir('src/utils'), file('src/utils/io.py'), file('Zeta.txt'), file('alpha.txt'), dir('data')];

  it('nests entries under their folders, folders first, then natural order ignoring case', () => {
    const tree = buildTree(entries);
    expect(tree.map((n) => n.name)).toEqual(['data', 'src', 'alpha.txt', 'README.md', 'train.py', 'Zeta.txt']);
    const src = tree.find((n) => n.name === 'src')!;
    expect(src.children.map((n) => n.name)).toEqual(['utils', 'file2.py', 'file10.py']);
    expect(src.children[0]!.children.map((n) => n.entry.path)).toEqual(['src/utils/io.py']);
  });

  it('puts an entry whose folder is missing from a cut-off listing at the top', () => {
    expect(buildTree([file('deep/a.py'), file('b.py')]).map((n) => n.entry.path)).toEqual(['deep/a.py', 'b.py']);
  });

  it('shows only what expanded folders contain, with depth', () => {
    const tree = buildTree(entries);
    expect(visibleRows(tree, new Set()).map((r) => r.node.entry.path)).toEqual(['data', 'src', 'alpha.txt', 'README.md', 'train.py', 'Zeta.txt']);
    const rows = visibleRows(tree, new Set(['src', 'src/utils']));
    expect(rows.map((r) => `${r.depth}:${r.node.name}`)).toEqual([
      '0:data', '0:src', '1:utils', '2:io.py', '1:file2.py', '1:file10.py', '0:alpha.txt', '0:README.md', '0:train.py', '0:Zeta.txt',
    ]);
    expect(rows.find((r) => r.node.name === 'src')!.expanded).toBe(true);
  });

  it('path helpers', () => {
    expect(parentOf('a/b/c.py')).toBe('a/b');
    expect(parentOf('c.py')).toBe('');
    expect(ancestors('a/b/c.py')).toEqual(['a', 'a/b']);
    expect(renamedPath('a/x.py', 'a', 'b')).toBe('b/x.py');
    expect(renamedPath('ab/x.py', 'a', 'b')).toBeNull();
    expect(renamedPath('a', 'a', 'b')).toBe('b');
    expect(isWithin('a/b', 'a')).toBe(true);
    expect(isWithin('ab', 'a')).toBe(false);
  });

  it('checks names for new and renamed entries', () => {
    expect(checkName('model.py', ['train.py'])).toBeNull();
    expect(checkName('  ', [])).toMatch(/name/);
    expect(checkName('..', [])).toMatch(/reserved/);
    expect(checkName('a/b.py', [])).toMatch(/cannot contain/);
    expect(checkName('train.py', ['train.py'])).toMatch(/already exists/);
  });
});

import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, tempWorkspace, type TempWorkspace } from './test-support.js';
import { mergeChange, WorkspaceWatcher, type WatchBatch } from './workspace-watcher.js';

let t: TempWorkspace;
let watcher: WorkspaceWatcher | null = null;
let batches: WatchBatch[];

beforeEach(() => {
  t = tempWorkspace();
  batches = [];
});
afterEach(async () => {
  await watcher?.close();
  watcher = null;
  t.cleanup();
});

async function start(options = {}): Promise<void> {
  watcher = new WorkspaceWatcher(t.root, (b) => batches.push(b), options);
  await watcher.ready;
}

const changed = () => batches.flatMap((b) => b.changes);

describe('WorkspaceWatcher', () => {
  it('a new file that is then written stays "add" in its batch (else the tree would not show it)', async () => {
    await start({ quietMs: 300 });
    // Created, then written a moment later: two events for one path inside one batch.
    writeFileSync(path.join(t.root, 'notes.md'), '');
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(path.join(t.root, 'notes.md'), '# notes\n');
    await eventually('a batch with notes.md', () => changed().find((c) => c.path === 'notes.md'));
    expect(changed().filter((c) => c.path === 'notes.md')).toEqual([{ path: 'notes.md', kind: 'add' }]);
    expect([mergeChange('add', 'change'), mergeChange('unlink', 'add'), mergeChange('change', 'unlink'), mergeChange(undefined, 'change')]).toEqual(['add', 'change', 'unlink', 'change']);
  });

  it('reports a file written by another program', async () => {
    t.write('train.py', 'LR = 0.1\n');
    await start();
    appendFileSync(path.join(t.root, 'train.py'), '# edited elsewhere\n');
    await eventually('a change event', () => changed().find((c) => c.path === 'train.py' && c.kind === 'change'));
  });

  it('batches a burst of changes into one report, with "/"-separated relative paths', async () => {
    await start({ quietMs: 200 });
    mkdirSync(path.join(t.root, 'src'));
    for (let i = 0; i < 5; i++) writeFileSync(path.join(t.root, 'src', `f${i}.py`), `${i}`);
    await eventually('five files', () => changed().filter((c) => c.kind === 'add').length >= 5 || undefined);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(changed().map((c) => c.path)).toEqual(expect.arrayContaining(['src', 'src/f0.py', 'src/f4.py']));
  });

  it('reports renames and deletions', async () => {
    t.write('a.py', '1');
    await start();
    renameSync(path.join(t.root, 'a.py'), path.join(t.root, 'b.py'));
    await eventually('the rename', () => changed().some((c) => c.path === 'a.py' && c.kind === 'unlink') && changed().some((c) => c.path === 'b.py' && c.kind === 'add'));
    rmSync(path.join(t.root, 'b.py'));
    await eventually('the delete', () => changed().filter((c) => c.path === 'b.py').at(-1)?.kind === 'unlink');
  });

  it('ignores node_modules, .git, __pycache__ and virtualenv folders', async () => {
    await start();
    t.write('node_modules/x/index.js', '');
    t.write('__pycache__/train.cpython-311.pyc', '');
    t.write('.venv/bin/python', '');
    t.write('seen.txt', '');
    await eventually('seen.txt', () => changed().find((c) => c.path === 'seen.txt'));
    await new Promise((r) => setTimeout(r, 300));
    expect(changed().map((c) => c.path)).toEqual(['seen.txt']);
  });

  it('says "overflow" rather than listing thousands of paths', async () => {
    await start({ maxChanges: 3, quietMs: 200 });
    for (let i = 0; i < 10; i++) writeFileSync(path.join(t.root, `f${i}.txt`), '');
    await eventually('an overflow batch', () => batches.some((b) => b.overflow));
    expect(batches.find((b) => b.overflow)!.changes.length).toBeLessThanOrEqual(3);
  });
});

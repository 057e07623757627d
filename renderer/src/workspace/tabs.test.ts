import { describe, expect, it } from 'vitest';
import type { FileContent } from '../../../engine/api/contract';
import { activeTab, dirtyTabs, EMPTY_TABS, findTab, isDirty, tabsReducer, type TabsAction, type TabsState } from './tabs';

const content = (path: string, text: string, extra: Partial<FileContent> = {}): FileContent => ({
  path,
  text,
  etag: `e-${text.length}`,
  mtimeMs: 1,
  size: text.length,
  readOnly: false,
  readOnlyReason: null,
  truncated: false,
  ...extra,
});

const run = (actions: TabsAction[], from: TabsState = EMPTY_TABS) => actions.reduce(tabsReducer, from);

function opened(...paths: string[]): TabsState {
  return run(paths.flatMap((p) => [{ type: 'open', path: p, activate: true }, { type: 'loaded', path: p, content: content(p, `${p}\n`) }] as TabsAction[]));
}

describe('tabs', () => {
  it('opens a tab once, loading first, and activates it on request', () => {
    let s = run([{ type: 'open', path: 'a.py', activate: false }]);
    expect(s.active).toBe('a.py'); // the first tab is shown even in the background
    expect(findTab(s, 'a.py')).toMatchObject({ loading: true });
    s = run([{ type: 'open', path: 'b.py', activate: false }, { type: 'open', path: 'a.py', activate: false }], s);
    expect(s.tabs.map((t) => t.path)).toEqual(['a.py', 'b.py']);
    expect(s.active).toBe('a.py');
    expect(tabsReducer(s, { type: 'open', path: 'b.py', activate: true }).active).toBe('b.py');
  });

  it('is dirty while the buffer differs from what was saved, and clean again after saving or undoing', () => {
    let s = opened('train.py');
    s = tabsReducer(s, { type: 'edit', path: 'train.py', text: 'LR = 0.2\n' });
    expect(dirtyTabs(s).map((t) => t.path)).toEqual(['train.py']);
    expect(isDirty(tabsReducer(s, { type: 'edit', path: 'train.py', text: 'train.py\n' }).tabs[0]!)).toBe(false);
    s = tabsReducer(s, { type: 'saved', path: 'train.py', text: 'LR = 0.2\n', etag: 'new' });
    expect(findTab(s, 'train.py')).toMatchObject({ etag: 'new', text: 'LR = 0.2\n' });
    expect(dirtyTabs(s)).toEqual([]);
  });

  it('ignores edits to read-only (binary, large) and still-loading tabs', () => {
    let s = run([{ type: 'open', path: 'm.pt', activate: true }]);
    s = tabsReducer(s, { type: 'edit', path: 'm.pt', text: 'x' });
    expect(findTab(s, 'm.pt')!.text).toBe('');
    s = tabsReducer(s, { type: 'loaded', path: 'm.pt', content: content('m.pt', '', { readOnly: true, readOnlyReason: 'binary' }) });
    s = tabsReducer(s, { type: 'edit', path: 'm.pt', text: 'x' });
    expect(findTab(s, 'm.pt')).toMatchObject({ text: '', readOnly: true, readOnlyReason: 'binary' });
  });

  it('closing the active tab shows its right neighbour, else the left one', () => {
    let s = opened('a', 'b', 'c');
    s = tabsReducer(s, { type: 'activate', path: 'b' });
    s = tabsReducer(s, { type: 'close', path: 'b' });
    expect(s.active).toBe('c');
    s = tabsReducer(s, { type: 'close', path: 'c' });
    expect(s.active).toBe('a');
    s = tabsReducer(s, { type: 'close', path: 'a' });
    expect(s).toEqual({ tabs: [], active: null });
  });

  it('marks a tab changed on disk, and a reload clears the mark and the edits', () => {
    let s = opened('trainjob.yaml');
    s = tabsReducer(s, { type: 'edit', path: 'trainjob.yaml', text: 'mine' });
    s = tabsReducer(s, { type: 'disk', path: 'trainjob.yaml', disk: 'changed' });
    expect(findTab(s, 'trainjob.yaml')!.disk).toBe('changed');
    s = tabsReducer(s, { type: 'loaded', path: 'trainjob.yaml', content: content('trainjob.yaml', 'theirs') });
    expect(findTab(s, 'trainjob.yaml')).toMatchObject({ text: 'theirs', disk: null });
    expect(dirtyTabs(s)).toEqual([]);
  });

  it('follows renames of files and of folders they are in', () => {
    let s = opened('src/a.py', 'src/b.py', 'c.py');
    s = tabsReducer(s, { type: 'activate', path: 'src/b.py' });
    s = tabsReducer(s, { type: 'renamed', from: 'src', to: 'lib' });
    expect(s.tabs.map((t) => t.path)).toEqual(['lib/a.py', 'lib/b.py', 'c.py']);
    expect(activeTab(s)!.path).toBe('lib/b.py');
  });

  it('deleting a folder closes its clean tabs and keeps unsaved ones, marked deleted', () => {
    let s = opened('src/a.py', 'src/b.py', 'c.py');
    s = tabsReducer(s, { type: 'edit', path: 'src/b.py', text: 'unsaved' });
    s = tabsReducer(s, { type: 'removed', path: 'src' });
    expect(s.tabs.map((t) => t.path)).toEqual(['src/b.py', 'c.py']);
    expect(findTab(s, 'src/b.py')).toMatchObject({ disk: 'deleted', etag: null, text: 'unsaved' });
  });
});

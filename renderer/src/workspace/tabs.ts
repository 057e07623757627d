/**
 * Open editor tabs: each file's buffer, what was last saved, its etag, and whether the file
 * changed on disk underneath. A pure reducer, so the edit-save-conflict rules are tested in node.
 */
import type { FileContent } from '../../../engine/api/contract';
import { isWithin, renamedPath } from './file-tree';

export interface Tab {
  path: string;
  /** The buffer (what the editor shows). */
  text: string;
  /** The file's content as last read or saved; dirty = text differs. */
  savedText: string;
  /** null = not loaded yet, or a new file never saved. */
  etag: string | null;
  loading: boolean;
  error: string | null;
  readOnly: boolean;
  readOnlyReason: FileContent['readOnlyReason'];
  truncated: boolean;
  size: number;
  /** The file changed or disappeared on disk while this tab had unsaved edits. */
  disk: 'changed' | 'deleted' | null;
}

export interface TabsState {
  tabs: Tab[];
  active: string | null;
}

export type TabsAction =
  | { type: 'open'; path: string; activate: boolean }
  | { type: 'loaded'; path: string; content: FileContent }
  | { type: 'failed'; path: string; error: string }
  | { type: 'edit'; path: string; text: string }
  | { type: 'saved'; path: string; text: string; etag: string }
  | { type: 'disk'; path: string; disk: 'changed' | 'deleted' }
  | { type: 'activate'; path: string }
  | { type: 'close'; path: string }
  | { type: 'renamed'; from: string; to: string }
  | { type: 'removed'; path: string };

export const EMPTY_TABS: TabsState = { tabs: [], active: null };

export function isDirty(tab: Tab): boolean {
  return !tab.loading && tab.text !== tab.savedText;
}

export function dirtyTabs(state: TabsState): Tab[] {
  return state.tabs.filter(isDirty);
}

export function findTab(state: TabsState, path: string): Tab | undefined {
  return state.tabs.find((t) => t.path === path);
}

export function activeTab(state: TabsState): Tab | undefined {
  return state.active === null ? undefined : findTab(state, state.active);
}

function blank(path: string): Tab {
  return { path, text: '', savedText: '', etag: null, loading: true, error: null, readOnly: false, readOnlyReason: null, truncated: false, size: 0, disk: null };
}

function update(state: TabsState, path: string, fn: (tab: Tab) => Tab): TabsState {
  if (!findTab(state, path)) return state;
  return { ...state, tabs: state.tabs.map((t) => (t.path === path ? fn(t) : t)) };
}

/** The tab to show after closing `path`: its right neighbour, else its left one. */
function neighbour(state: TabsState, path: string): string | null {
  const i = state.tabs.findIndex((t) => t.path === path);
  const next = state.tabs[i + 1] ?? state.tabs[i - 1];
  return next ? next.path : null;
}

export function tabsReducer(state: TabsState, action: TabsAction): TabsState {
  switch (action.type) {
    case 'open': {
      if (findTab(state, action.path)) return action.activate ? { ...state, active: action.path } : state;
      const tabs = [...state.tabs, blank(action.path)];
      return { tabs, active: action.activate || state.active === null ? action.path : state.active };
    }
    case 'loaded':
      // A reload replaces the buffer too: callers only reload tabs without unsaved edits (or on request).
      return update(state, action.path, (t) => ({
        ...t,
        text: action.content.text,
        savedText: action.content.text,
        etag: action.content.etag,
        loading: false,
        error: null,
        readOnly: action.content.readOnly,
        readOnlyReason: action.content.readOnlyReason,
        truncated: action.content.truncated,
        size: action.content.size,
        disk: null,
      }));
    case 'failed':
      return update(state, action.path, (t) => ({ ...t, loading: false, error: action.error }));
    case 'edit':
      return update(state, action.path, (t) => (t.readOnly || t.loading ? t : { ...t, text: action.text }));
    case 'saved':
      return update(state, action.path, (t) => ({ ...t, savedText: action.text, etag: action.etag, disk: null, error: null }));
    case 'disk':
      return update(state, action.path, (t) => ({ ...t, disk: action.disk }));
    case 'activate':
      return findTab(state, action.path) ? { ...state, active: action.path } : state;
    case 'close': {
      if (!findTab(state, action.path)) return state;
      const active = state.active === action.path ? neighbour(state, action.path) : state.active;
      return { tabs: state.tabs.filter((t) => t.path !== action.path), active };
    }
    case 'renamed': {
      const move = (p: string) => renamedPath(p, action.from, action.to) ?? p;
      return {
        tabs: state.tabs.map((t) => ({ ...t, path: move(t.path) })),
        active: state.active === null ? null : move(state.active),
      };
    }
    case 'removed': {
      // Deleted from the app: clean tabs close; a tab with unsaved edits stays, marked deleted.
      let next = state;
      for (const tab of state.tabs.filter((t) => isWithin(t.path, action.path))) {
        next = isDirty(tab) ? update(next, tab.path, (t) => ({ ...t, disk: 'deleted', etag: null })) : tabsReducer(next, { type: 'close', path: tab.path });
      }
      return next;
    }
  }
}

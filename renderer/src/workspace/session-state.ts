/** The state of one open workspace, as the UI renders it, and a tiny store for it. */
import { useSyncExternalStore } from 'react';
import type { FileEntry, JobSummary, RunTarget, SpecIssue, WorkspaceInfo } from '../../../engine/api/contract';
import { EMPTY_TABS, type TabsState } from './tabs';

export const JOB_FILE = 'trainjob.yaml';

export interface Validation {
  /** The trainjob.yaml text these issues are about. */
  text: string;
  errors: SpecIssue[];
  warnings: SpecIssue[];
}

export interface RunState {
  targets: RunTarget[];
  targetId: string;
  /** The job started from this workspace last (its logs and metrics show beside the editor). */
  job: JobSummary | null;
  busy: 'starting' | 'stopping' | null;
  error: string | null;
  panelOpen: boolean;
}

export interface SessionState {
  root: string;
  info: WorkspaceInfo | null;
  openError: string | null;
  entries: FileEntry[];
  truncated: boolean;
  treeError: string | null;
  expanded: ReadonlySet<string>;
  tabs: TabsState;
  validation: Validation | null;
  /** A save refused because the file changed on disk: the prompt to resolve it. */
  conflict: { path: string; message: string } | null;
  /** The last file operation's error, shown above the tree until the next one. */
  notice: string | null;
  run: RunState;
}

export function initialState(root: string): SessionState {
  return {
    root,
    info: null,
    openError: null,
    entries: [],
    truncated: false,
    treeError: null,
    expanded: new Set(),
    tabs: EMPTY_TABS,
    validation: null,
    conflict: null,
    notice: null,
    run: { targets: [], targetId: 'local-process', job: null, busy: null, error: null, panelOpen: false },
  };
}

export class Store<T> {
  private listeners = new Set<() => void>();

  constructor(private state: T) {}

  get = (): T => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(fn: (state: T) => T): void {
    const next = fn(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

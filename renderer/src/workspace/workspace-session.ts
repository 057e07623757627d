/**
 * One open workspace: its tree, tabs and buffers, kept at module level so unsaved edits survive
 * a visit to another page. Files are reached only through the workspace.* API; the engine's
 * `workspace.changed` events keep the tree and clean tabs in step with the disk.
 */
import type { EventPayload } from '../../../engine/api/contract';
import { KfdApiError, errorText, type ApiClient } from '../api/client';
import { isTrainJobPath } from '../editor/languages';
import { releaseEditorModel } from '../editor/editor-bridge';
import { ancestors, isWithin, joinPath, parentOf, renamedPath } from './file-tree';
import { RunController } from './run-controller';
import { initialState, JOB_FILE, Store, type SessionState } from './session-state';
import { dirtyTabs, findTab, isDirty, tabsReducer, type TabsAction } from './tabs';

const VALIDATE_MS = 250;

export class WorkspaceSession {
  readonly store: Store<SessionState>;
  readonly run: RunController;
  private validateTimer: ReturnType<typeof setTimeout> | null = null;
  private opened = false;
  private readonly unsubscribe: () => void;
  private readonly saving = new Map<string, Promise<boolean>>();
  /**
   * Paths this session is renaming or deleting right now. The watcher's "unlink" for them may
   * arrive before the engine's answer (the event and the answer travel separately); the
   * operation itself moves or closes their tabs, so the event must not close them first.
   */
  private readonly moving = new Set<string>();

  constructor(
    readonly api: ApiClient,
    readonly root: string,
  ) {
    this.store = new Store(initialState(root));
    this.run = new RunController(this);
    const offFiles = api.on('workspace.changed', (event) => void this.onChanged(event));
    this.unsubscribe = () => {
      offFiles();
      this.run.dispose();
    };
  }

  /** Stops listening to the engine; the workspace's watcher is closed too. */
  dispose(): void {
    this.unsubscribe();
    if (this.validateTimer) clearTimeout(this.validateTimer);
    for (const tab of this.state.tabs.tabs) releaseEditorModel(this.absPath(tab.path));
    void this.api.call('workspace.close', { root: this.root }).catch(() => undefined);
  }

  get state(): SessionState {
    return this.store.get();
  }

  update(fn: (s: SessionState) => SessionState): void {
    this.store.update(fn);
  }

  private tabs(action: TabsAction): void {
    this.update((s) => ({ ...s, tabs: tabsReducer(s.tabs, action) }));
  }

  /** The absolute path the editor keys its models by. */
  absPath(rel: string): string {
    return `${this.root.replace(/\/$/, '')}/${rel}`;
  }

  /** (Re)opens the folder with the engine (also after an engine restart) and loads the tree. */
  async connect(): Promise<void> {
    try {
      const info = await this.api.call('workspace.open', { path: this.root });
      this.update((s) => ({ ...s, info, openError: null }));
    } catch (err) {
      this.update((s) => ({ ...s, openError: errorText(err) }));
      return;
    }
    await Promise.all([this.refreshTree(), this.run.connect()]);
    if (this.opened) return;
    this.opened = true;
    // A fresh session shows the job file and the code it runs.
    const paths = new Set(this.state.entries.map((e) => e.path));
    if (paths.has(JOB_FILE)) void this.openFile(JOB_FILE, false);
    if (paths.has('train.py')) void this.openFile('train.py', true);
  }

  async refreshTree(): Promise<void> {
    try {
      const { entries, truncated } = await this.api.call('workspace.tree', { root: this.root });
      this.update((s) => ({ ...s, entries, truncated, treeError: null }));
    } catch (err) {
      this.update((s) => ({ ...s, treeError: errorText(err) }));
    }
  }

  toggleDir(path: string, open?: boolean): void {
    this.update((s) => {
      const expanded = new Set(s.expanded);
      if (open ?? !expanded.has(path)) expanded.add(path);
      else expanded.delete(path);
      return { ...s, expanded };
    });
  }

  async openFile(path: string, activate = true): Promise<void> {
    const existing = findTab(this.state.tabs, path);
    this.tabs({ type: 'open', path, activate });
    for (const dir of ancestors(path)) this.toggleDir(dir, true);
    if (existing && !existing.error) return;
    await this.load(path);
  }

  private async load(path: string): Promise<void> {
    try {
      const content = await this.api.call('workspace.read', { root: this.root, path });
      this.tabs({ type: 'loaded', path, content });
      if (isTrainJobPath(path)) this.scheduleValidate(0);
    } catch (err) {
      this.tabs({ type: 'failed', path, error: errorText(err) });
    }
  }

  edit(path: string, text: string): void {
    this.tabs({ type: 'edit', path, text });
    if (isTrainJobPath(path)) this.scheduleValidate(VALIDATE_MS);
  }

  /** Saves one tab; false when it did not (a conflict prompt or an error is then showing). */
  async save(path: string, force = false): Promise<boolean> {
    // One write per file at a time: a second one would carry the etag the first replaced.
    const before = this.saving.get(path);
    const next = (before ?? Promise.resolve(true)).then(() => this.write(path, force));
    this.saving.set(path, next);
    return next.finally(() => this.saving.get(path) === next && this.saving.delete(path));
  }

  private async write(path: string, force: boolean): Promise<boolean> {
    const tab = findTab(this.state.tabs, path);
    if (!tab || tab.loading || tab.readOnly) return true;
    if (!force && !isDirty(tab) && tab.disk === null) return true;
    const text = tab.text;
    try {
      const saved = await this.api.call('workspace.write', { root: this.root, path, text, etag: tab.etag, force });
      this.tabs({ type: 'saved', path, text, etag: saved.etag });
      this.update((s) => ({ ...s, notice: null }));
      return true;
    } catch (err) {
      if (err instanceof KfdApiError && err.code === 'conflict') {
        this.update((s) => ({ ...s, conflict: { path, message: err.message } }));
      } else {
        this.update((s) => ({ ...s, notice: `Could not save ${path}: ${errorText(err)}` }));
      }
      return false;
    }
  }

  /** Saves every tab with unsaved edits, stopping at the first that cannot be saved. */
  async saveAll(): Promise<boolean> {
    for (const tab of dirtyTabs(this.state.tabs)) {
      if (!(await this.save(tab.path))) return false;
    }
    return true;
  }

  /** The conflict prompt's answer: keep mine (overwrite the disk), take theirs (reload), or neither. */
  async resolveConflict(choice: 'overwrite' | 'reload' | 'cancel'): Promise<void> {
    const conflict = this.state.conflict;
    this.update((s) => ({ ...s, conflict: null }));
    if (!conflict || choice === 'cancel') return;
    if (choice === 'overwrite') await this.save(conflict.path, true);
    else await this.load(conflict.path);
  }

  async reload(path: string): Promise<void> {
    await this.load(path);
  }

  closeTab(path: string): void {
    this.tabs({ type: 'close', path });
    releaseEditorModel(this.absPath(path));
  }

  activate(path: string): void {
    this.tabs({ type: 'activate', path });
  }

  /**
   * Runs a file operation, showing its error above the tree; `done` applies its result to the
   * tabs before the tree is refreshed (either way) and before `moving` lets watcher events through.
   */
  private async fileOp<T>(what: string, fn: () => Promise<T>, moved: string | null = null, done?: (result: T) => void): Promise<T | null> {
    if (moved !== null) this.moving.add(moved);
    try {
      const result = await fn();
      this.update((s) => ({ ...s, notice: null }));
      done?.(result);
      return result;
    } catch (err) {
      this.update((s) => ({ ...s, notice: `${what}: ${errorText(err)}` }));
      return null;
    } finally {
      if (moved !== null) this.moving.delete(moved);
      await this.refreshTree();
    }
  }

  async createFile(dir: string, name: string): Promise<void> {
    const path = joinPath(dir, name.trim());
    const done = await this.fileOp(`Could not create ${path}`, () => this.api.call('workspace.write', { root: this.root, path, text: '', etag: null }));
    if (done) await this.openFile(path);
  }

  async createFolder(dir: string, name: string): Promise<void> {
    const path = joinPath(dir, name.trim());
    if (await this.fileOp(`Could not create ${path}`, () => this.api.call('workspace.mkdir', { root: this.root, path }))) this.toggleDir(path, true);
  }

  async rename(from: string, name: string): Promise<void> {
    const to = joinPath(parentOf(from), name.trim());
    if (to === from) return;
    await this.fileOp(`Could not rename ${from}`, () => this.api.call('workspace.rename', { root: this.root, from, to }), from, () => {
      for (const tab of this.state.tabs.tabs) if (renamedPath(tab.path, from, to)) releaseEditorModel(this.absPath(tab.path));
      this.tabs({ type: 'renamed', from, to });
    });
  }

  async remove(path: string): Promise<void> {
    await this.fileOp(`Could not delete ${path}`, () => this.api.call('workspace.delete', { root: this.root, path }), path, () => {
      for (const tab of this.state.tabs.tabs) if (isWithin(tab.path, path) && !isDirty(tab)) releaseEditorModel(this.absPath(tab.path));
      this.tabs({ type: 'removed', path });
    });
  }

  private async onChanged(event: EventPayload<'workspace.changed'>): Promise<void> {
    if (event.root !== this.root) return;
    if (event.overflow || event.changes.some((c) => c.kind !== 'change')) void this.refreshTree();
    for (const change of event.changes) {
      const tab = findTab(this.state.tabs, change.path);
      if (!tab || tab.loading) continue;
      if (change.kind === 'unlink' && [...this.moving].some((m) => isWithin(tab.path, m))) continue; // ours: the operation moves the tab
      if (change.kind === 'unlink') {
        if (isDirty(tab)) this.tabs({ type: 'disk', path: tab.path, disk: 'deleted' });
        else this.closeTab(tab.path);
        continue;
      }
      if (change.kind !== 'change' && change.kind !== 'add') continue;
      try {
        // The event of our own save can beat the save's answer: compare with the etag it returns.
        await this.saving.get(tab.path);
        const content = await this.api.call('workspace.read', { root: this.root, path: tab.path });
        const now = findTab(this.state.tabs, tab.path);
        if (!now || content.etag === now.etag) continue; // our own save, or no real change
        if (isDirty(now)) this.tabs({ type: 'disk', path: now.path, disk: 'changed' });
        else {
          this.tabs({ type: 'loaded', path: now.path, content });
          if (isTrainJobPath(now.path)) this.scheduleValidate(0);
        }
      } catch {
        // Gone again already: the next event says so.
      }
    }
  }

  /** The trainjob.yaml buffer (loaded tab), if any. */
  jobText(): string | null {
    const tab = findTab(this.state.tabs, JOB_FILE);
    return tab && !tab.loading ? tab.text : null;
  }

  scheduleValidate(delayMs: number): void {
    if (this.validateTimer) clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(() => void this.validate(), delayMs);
  }

  /** Checks the trainjob.yaml buffer as `jobs.run` would, for the chosen target's backend. */
  async validate(): Promise<void> {
    const text = this.jobText();
    if (text === null) return;
    try {
      const result = await this.api.call('workspace.validateJob', { text, backend: this.run.backend() });
      if (this.jobText() !== text) return; // typed on since: a newer check is coming
      this.update((s) => ({ ...s, validation: { text, errors: result.errors, warnings: result.warnings } }));
    } catch {
      // The engine is away; the banner says so and markers stay as they were.
    }
  }
}

const sessions = new Map<string, WorkspaceSession>();

/** The session for `root`, created on first use and kept for the page's lifetime. */
export function sessionFor(api: ApiClient, root: string): WorkspaceSession {
  let session = sessions.get(root);
  if (!session) {
    session = new WorkspaceSession(api, root);
    sessions.set(root, session);
  }
  return session;
}

export function dropSession(root: string): void {
  sessions.get(root)?.dispose();
  sessions.delete(root);
}

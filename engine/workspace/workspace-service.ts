/**
 * Workspaces: the folders open in the editor. A folder becomes usable through `open` (or
 * `create` from a template); every file call names that root and is confined to it. Open
 * folders are watched and their changes published as `workspace.changed`.
 */
import { stat, realpath } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { EventBus } from '../api/event-bus.js';
import type { BackendId } from '../api/schemas/jobs.js';
import type { RecentWorkspace, RunTarget, WorkspaceInfo } from '../api/schemas/workspace.js';
import { backendCapacity, JOB_FILE, validateJobText } from '../jobs/workspace-job.js';
import { addRecent, readRecent, removeRecent } from './recent-repo.js';
import { runTargets } from './run-targets.js';
import { builtinRuntimeCatalog, type RuntimeCatalog } from './runtimes.js';
import { createFromTemplate, listTemplates, templatesDir } from './templates.js';
import { trainJobJsonSchema } from './trainjob-json-schema.js';
import { WorkspaceWatcher } from './workspace-watcher.js';
import * as files from './workspace-files.js';
import { listFolders, type FolderListing } from './folder-browser.js';

export interface WorkspaceServiceDeps {
  db: Database.Database;
  events: EventBus;
  env?: NodeJS.ProcessEnv;
  /** Backends the job service was given (the others are shown, disabled). */
  availableBackends(): Iterable<BackendId>;
  /** Kubernetes targets (one run target each). */
  kubeTargets?: () => Promise<{ id: string; label: string; kind: 'kubeconfig' | 'local-cluster' }[]>;
  runtimes?: RuntimeCatalog;
  /** Why no container engine can run a job now (the engine's own sentence), or null when one answers. */
  containerEngineDown?: () => Promise<string | null>;
  /** At most this many workspaces are watched; opening another stops the oldest watcher. */
  maxWatched?: number;
}

export class WorkspaceService {
  /** Open roots (real paths), oldest first; each with its watcher. */
  private readonly open = new Map<string, WorkspaceWatcher>();
  private closed = false;

  constructor(private readonly deps: WorkspaceServiceDeps) {}

  private get templates(): string {
    return templatesDir(this.deps.env);
  }

  async openFolder(input: string): Promise<WorkspaceInfo> {
    if (!path.isAbsolute(input)) throw new ApiError('bad_request', `Give the folder as an absolute path; got "${input}".`);
    let real: string;
    try {
      real = await realpath(input);
    } catch {
      throw new ApiError('not_found', `${input} does not exist. Check the path, or create the folder from a template.`);
    }
    const info = await stat(real);
    // A trainjob.yaml (or any file) opens the folder it is in.
    if (!info.isDirectory()) real = path.dirname(real);
    if (path.dirname(real) === real) {
      throw new ApiError('bad_request', `${real} is the whole disk; open the project folder that holds your code and its trainjob.yaml.`);
    }
    this.watch(real);
    addRecent(this.deps.db, { path: real, name: path.basename(real) || real, openedAt: Date.now() });
    return this.info(real);
  }

  private async info(root: string): Promise<WorkspaceInfo> {
    const hasJobFile = await stat(path.join(root, JOB_FILE)).then((s) => s.isFile(), () => false);
    return { root, name: path.basename(root) || root, hasJobFile };
  }

  private watch(root: string): void {
    if (this.closed) return;
    if (this.open.has(root)) {
      // Most recently opened last, so the oldest is the one let go.
      const watcher = this.open.get(root)!;
      this.open.delete(root);
      this.open.set(root, watcher);
      return;
    }
    const max = this.deps.maxWatched ?? 4;
    while (this.open.size >= max) {
      const [oldest, watcher] = this.open.entries().next().value!;
      this.open.delete(oldest);
      void watcher.close();
    }
    const watcher = new WorkspaceWatcher(root, (batch) => {
      if (!this.closed) this.deps.events.emit('workspace.changed', { root, ...batch });
    });
    this.open.set(root, watcher);
  }

  /** The open workspace `root` names (as `open` answered it), or a not_found error. */
  private rootOf(root: string): string {
    if (!this.open.has(root)) {
      throw new ApiError('not_found', `${root} is not an open workspace; open it first (it may have been closed after opening others).`);
    }
    return root;
  }

  /** Resolves when the root's watcher has finished its first scan (tests wait on this). */
  async watching(root: string): Promise<void> {
    await this.open.get(root)?.ready;
  }

  async closeFolder(root: string): Promise<{ closed: boolean }> {
    const watcher = this.open.get(root);
    if (watcher === undefined) return { closed: false };
    this.open.delete(root);
    await watcher.close();
    return { closed: true };
  }

  async recent(): Promise<RecentWorkspace[]> {
    const list = readRecent(this.deps.db);
    return Promise.all(
      list.map(async (r) => ({ ...r, exists: await stat(r.path).then((s) => s.isDirectory(), () => false) })),
    );
  }

  async forget(folder: string): Promise<RecentWorkspace[]> {
    removeRecent(this.deps.db, folder);
    return this.recent();
  }

  folders(input: { path?: string | undefined; showHidden?: boolean | undefined }): Promise<FolderListing> {
    return listFolders(input, this.deps.env ?? process.env);
  }

  listTemplates() {
    return listTemplates(this.templates);
  }

  async create(input: { template: string; dir: string; force: boolean }) {
    const result = await createFromTemplate(this.templates, input.template, input.dir, input.force);
    const workspace = await this.openFolder(input.dir);
    return { workspace, template: input.template, ...result };
  }

  tree(root: string) {
    return files.listTree(this.rootOf(root));
  }

  read(root: string, rel: string) {
    return files.readWorkspaceFile(this.rootOf(root), rel);
  }

  write(root: string, req: files.WriteRequest) {
    return files.writeWorkspaceFile(this.rootOf(root), req);
  }

  rename(root: string, from: string, to: string) {
    return files.renameWorkspaceEntry(this.rootOf(root), from, to);
  }

  delete(root: string, rel: string) {
    return files.deleteWorkspaceEntry(this.rootOf(root), rel);
  }

  mkdir(root: string, rel: string) {
    return files.makeWorkspaceDir(this.rootOf(root), rel);
  }

  /** Exactly the checks `jobs.run` makes, on text that may not be saved yet. */
  validateJob(text: string, backend: BackendId) {
    // The same capacity jobs.run checks against, so the editor warns exactly when a run would.
    const result = validateJobText(text, JOB_FILE, backend, backendCapacity(backend));
    return result.ok ? { ok: true, errors: [], warnings: result.warnings } : { ok: false, errors: result.errors, warnings: [] };
  }

  async jobSchema(target: string | undefined) {
    const runtimes = await (this.deps.runtimes ?? builtinRuntimeCatalog).list(target);
    return { schema: trainJobJsonSchema(runtimes), runtimes };
  }

  async targets(): Promise<RunTarget[]> {
    const [kube, containerDown] = await Promise.all([this.deps.kubeTargets?.() ?? [], this.deps.containerEngineDown?.() ?? null]);
    return runTargets(new Set(this.deps.availableBackends()), kube, containerDown ? { container: containerDown } : {});
  }

  async close(): Promise<void> {
    this.closed = true;
    const watchers = [...this.open.values()];
    this.open.clear();
    await Promise.all(watchers.map((w) => w.close()));
  }
}

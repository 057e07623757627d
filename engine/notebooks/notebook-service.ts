/**
 * The notebooks area of the engine: files, kernels (one session per open notebook, keyed by an
 * id of our own), headless runs and notebook → job. Kernel traffic becomes API events; the
 * Jupyter server behind it is JupyterRuntime's.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { KernelManager, KernelSpecAPI, SessionManager } from '@jupyterlab/services';
import { ApiError } from '../api/api-error.js';
import type { EventBus } from '../api/event-bus.js';
import type { BackendId, JobDetail } from '../api/schemas/jobs.js';
import type { KernelSessionInfo } from '../api/schemas/notebooks.js';
import { runNotebookHeadless, type HeadlessInput } from './headless-run.js';
import { JupyterRuntime } from './jupyter-runtime.js';
import type { ServerHandle } from './jupyter-server.js';
import { KernelSession } from './kernel-session.js';
import { createNotebook, listNotebooks, readNotebook, saveNotebook, statNotebook } from './notebook-files.js';
import { newNotebook } from './notebook-format.js';
import { writeNotebookJob } from './notebook-job-writer.js';
import { sessionPath } from './server-launch.js';

export interface NotebookServiceDeps {
  events: EventBus;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  pythonPath: () => string;
  runJob: (input: { path: string; backend: BackendId }) => Promise<JobDetail>;
  home?: string;
}

interface Managers {
  generation: number;
  kernels: KernelManager;
  sessions: SessionManager;
}

const KERNEL_READY_MS = 60_000;

export class NotebookService {
  readonly runtime: JupyterRuntime;
  private readonly sessions = new Map<string, KernelSession>();
  private managers: Managers | null = null;

  constructor(private readonly deps: NotebookServiceDeps) {
    this.runtime = new JupyterRuntime({
      dataDir: deps.dataDir,
      env: deps.env,
      home: deps.home ?? os.homedir(),
      pythonPath: deps.pythonPath,
      onStatus: (status) => deps.events.emit('notebooks.serverStatus', status),
      onLost: (generation) => this.dropGeneration(generation),
    });
  }

  // ---- server ----

  async servers(refresh: boolean) {
    const reports = await this.runtime.discover(refresh);
    const candidates = reports.map(({ explicit: _explicit, ...r }) => r);
    return { status: this.runtime.status, candidates, guide: this.runtime.guide(reports) };
  }

  async startServer(python?: string) {
    // Another interpreter means another server: this one's kernels end with it.
    if (python && this.runtime.status.python !== python) await this.shutdownAll();
    await this.runtime.ensure(python).catch(() => undefined); // the status says what happened
    return this.runtime.status;
  }

  private async shutdownAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.shutdown()));
    this.disposeManagers();
  }

  async kernelspecs() {
    const handle = await this.runtime.ensure();
    const models = await KernelSpecAPI.getSpecs(handle.settings);
    const specs = Object.values(models.kernelspecs)
      .filter((s): s is NonNullable<typeof s> => Boolean(s))
      .map((s) => ({ name: s.name, displayName: s.display_name, language: s.language }));
    return { default: models.default, specs };
  }

  private managersFor(handle: ServerHandle): Managers {
    if (this.managers?.generation === handle.generation) return this.managers;
    this.disposeManagers();
    const kernels = new KernelManager({ serverSettings: handle.settings });
    this.managers = { generation: handle.generation, kernels, sessions: new SessionManager({ serverSettings: handle.settings, kernelManager: kernels }) };
    return this.managers;
  }

  private disposeManagers(): void {
    this.managers?.sessions.dispose();
    this.managers?.kernels.dispose();
    this.managers = null;
  }

  private dropGeneration(generation: number): void {
    for (const [id, s] of this.sessions) {
      if (s.generation !== generation) continue;
      this.sessions.delete(id);
      void s.shutdown(false);
    }
    if (this.managers?.generation === generation) this.disposeManagers();
  }

  // ---- files ----

  list(root: string) {
    return listNotebooks(root);
  }

  async open(root: string, rel: string) {
    const nb = await readNotebook(root, rel);
    return { root: nb.root, path: nb.path, content: nb.doc, hash: nb.hash, mtimeMs: nb.mtimeMs };
  }

  async create(root: string, rel: string) {
    const nb = await createNotebook(root, rel, newNotebook());
    return { root: nb.root, path: nb.path, content: nb.doc, hash: nb.hash, mtimeMs: nb.mtimeMs };
  }

  save = saveNotebook;
  stat = statNotebook;

  // ---- kernels ----

  private info(s: KernelSession): KernelSessionInfo {
    return { sessionId: s.id, ...s.info, status: s.status };
  }

  private async openSession(abs: string, root: string, kernelName: string | undefined): Promise<KernelSession> {
    const handle = await this.runtime.ensure();
    const specs = await KernelSpecAPI.getSpecs(handle.settings);
    // A notebook made elsewhere may name a kernel this server lacks: the default runs it (the
    // session info says which, and the picker shows it).
    const name = kernelName && specs.kernelspecs[kernelName] ? kernelName : specs.default;
    const spec = specs.kernelspecs[name];
    let connection;
    try {
      connection = await this.managersFor(handle).sessions.startNew({
        path: sessionPath(handle.rootDir, abs),
        type: 'notebook',
        name: path.basename(abs),
        kernel: { name },
      });
    } catch (err) {
      throw new ApiError('unavailable', `Could not start the "${name}" kernel for ${abs}: ${(err as Error).message}`);
    }
    const id = randomBytes(9).toString('base64url');
    const events = this.deps.events;
    const session = new KernelSession(
      id,
      { root, path: path.relative(root, abs).split(path.sep).join('/'), kernelName: name, displayName: spec?.display_name ?? name, language: spec?.language ?? '' },
      handle.generation,
      connection,
      {
        output: (op) => events.emit('notebooks.output', { ...op, sessionId: id }),
        started: (cellId, executionCount) => events.emit('notebooks.cellStarted', { sessionId: id, cellId, executionCount }),
        done: (cellId, r) => events.emit('notebooks.cellDone', { sessionId: id, cellId, status: r.status, executionCount: r.executionCount }),
        status: (status) => events.emit('notebooks.kernelStatus', { sessionId: id, status }),
      },
    );
    this.sessions.set(id, session);
    const ready = await Promise.race([session.kernelInfo(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), KERNEL_READY_MS).unref())]);
    if (ready === 'timeout' || ready === null) {
      this.sessions.delete(id);
      await session.shutdown();
      throw new ApiError('unavailable', `The "${name}" kernel did not start within ${KERNEL_READY_MS / 1000} s. The Jupyter server said:\n${this.runtime.status.message}`);
    }
    return session;
  }

  async startKernel(input: { root: string; path: string; kernelName?: string | undefined }): Promise<KernelSessionInfo> {
    const nb = await readNotebook(input.root, input.path);
    return this.info(await this.openSession(nb.abs, nb.root, input.kernelName));
  }

  listSessions(): KernelSessionInfo[] {
    return [...this.sessions.values()].map((s) => this.info(s));
  }

  private session(id: string): KernelSession {
    const s = this.sessions.get(id);
    if (!s) throw new ApiError('not_found', `Kernel session ${id} is not running (it was shut down, or the Jupyter server restarted). Start the kernel again.`);
    return s;
  }

  execute(input: { sessionId: string; cellId: string; code: string }) {
    void this.session(input.sessionId).execute(input.cellId, input.code);
    return { queued: true as const };
  }

  async interrupt(id: string) {
    await this.session(id).interrupt();
    return {};
  }

  async restart(id: string) {
    const s = this.session(id);
    await s.restart();
    return this.info(s);
  }

  async shutdown(id: string) {
    const s = this.session(id);
    this.sessions.delete(id);
    await s.shutdown();
    return {};
  }

  // ---- headless, jobs ----

  runFile(input: HeadlessInput) {
    return runNotebookHeadless(input, {
      startSession: async (abs, kernelName) => {
        const s = await this.openSession(abs, path.dirname(abs), kernelName);
        this.sessions.delete(s.id); // private to this run: not listed, shut down by it
        return s;
      },
      progress: (p) => this.deps.events.emit('notebooks.runProgress', p),
    });
  }

  async toJob(input: { root: string; path: string; cells?: number[] | undefined; backend: BackendId }) {
    const files = await writeNotebookJob(input);
    const job = await this.deps.runJob({ path: files.jobFileAbs, backend: input.backend });
    return { script: files.script, jobFile: files.jobFile, job };
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.shutdown(false);
    this.sessions.clear();
    this.disposeManagers();
    await this.runtime.close();
  }
}

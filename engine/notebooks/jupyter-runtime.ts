/**
 * Where notebooks run: which Python has Jupyter (discovered once, refreshed on request), the one
 * server process for it, its status for the UI, and the one-click install of jupyter_server +
 * ipykernel into a managed venv when no interpreter has them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { ServerState, ServerStatus } from '../api/schemas/notebooks.js';
import { chooseWheelhouse, ensureEnv, envsDirOf } from '../jobs/python-env/index.js';
import { chooseJupyterPython, describeMissing, installGuide, type JupyterReport } from './jupyter-choice.js';
import { JupyterServer, type ServerHandle } from './jupyter-server.js';
import { discoverJupyterPythons, jupyterCandidates } from './python-discovery.js';

export interface RuntimeDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  home: string;
  pythonPath: () => string;
  onStatus(status: ServerStatus): void;
  /** The server died with every kernel of this generation. */
  onLost(generation: number): void;
}

export const JUPYTER_REQUIREMENTS = ['jupyter_server', 'ipykernel'];

export class JupyterRuntime {
  private reports: JupyterReport[] | null = null;
  private discovering: Promise<JupyterReport[]> | null = null;
  private server: JupyterServer | null = null;
  private closed = false;
  private current: ServerStatus = { state: 'stopped', message: 'Jupyter starts when a notebook runs a cell.', python: null, restarts: 0 };

  constructor(private readonly deps: RuntimeDeps) {}

  get status(): ServerStatus {
    return this.current;
  }

  get serverPid(): number | null {
    return this.server?.pid ?? null;
  }

  private setStatus(state: ServerState, message: string, python = this.server?.python ?? null): void {
    this.current = { state, message, python, restarts: this.server?.restarts ?? 0 };
    this.deps.onStatus(this.current);
  }

  async discover(refresh = false): Promise<JupyterReport[]> {
    if (this.reports && !refresh) return this.reports;
    this.discovering ??= (async () => {
      const candidates = jupyterCandidates({
        env: this.deps.env,
        home: this.deps.home,
        platform: process.platform,
        pythonPath: this.deps.pythonPath(),
        managedEnvsDir: envsDirOf(this.deps.dataDir),
      });
      return discoverJupyterPythons(candidates, this.deps.env);
    })().finally(() => {
      this.discovering = null;
    });
    this.reports = await this.discovering;
    if (!this.server && this.current.state !== 'installing') {
      const chosen = chooseJupyterPython(this.reports);
      if (!chosen) this.setStatus('missing', describeMissing(this.reports), null);
      else if (this.current.state === 'missing') this.setStatus('stopped', 'Jupyter starts when a notebook runs a cell.', chosen.executable);
    }
    return this.reports;
  }

  guide(reports: readonly JupyterReport[]) {
    if (chooseJupyterPython(reports)) return null;
    return installGuide(reports, { platform: process.platform, hasApt: existsSync('/usr/bin/apt-get') });
  }

  /** The running server, started with the discovered (or given) interpreter if needed. */
  async ensure(python?: string): Promise<ServerHandle> {
    if (this.closed) throw new ApiError('unavailable', 'The app is closing; notebooks cannot start.');
    if (python && this.server && this.server.python !== python) await this.stopServer();
    if (!this.server) {
      const chosen = python ?? chooseJupyterPython(await this.discover())?.executable;
      if (!chosen) {
        const reports = await this.discover();
        const guide = this.guide(reports);
        const message = `${describeMissing(reports)} Install them: ${guide?.commands.join('  or  ')}`;
        this.setStatus('missing', message, null);
        throw new ApiError('unavailable', message);
      }
      this.server = new JupyterServer({
        python: chosen,
        stateDir: path.join(this.deps.dataDir, 'jupyter'),
        env: this.deps.env,
        home: this.deps.home,
        onStatus: (state, message) => this.setStatus(state, message, chosen),
        onLost: (generation) => this.deps.onLost(generation),
      });
    }
    return this.server.ensure();
  }

  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  /** Builds a managed venv with jupyter_server + ipykernel in the background; progress comes as status events. */
  install(): ServerStatus {
    if (this.current.state === 'installing') return this.current;
    this.setStatus('installing', 'Looking for a Python 3 to build the environment from…', null);
    void (async () => {
      try {
        const reports = await this.discover(true);
        const base = reports.find((r) => r.explicit && !r.problem) ?? reports.find((r) => !r.problem);
        if (!base) throw new ApiError('unavailable', describeMissing(reports));
        const built = await ensureEnv({
          basePython: base.executable,
          requirements: JUPYTER_REQUIREMENTS,
          envsDir: envsDirOf(this.deps.dataDir),
          env: this.deps.env,
          wheelhouse: chooseWheelhouse({}, this.deps.env),
          onProgress: (p) => this.setStatus('installing', p.line ? `${p.message}\n${p.line}` : p.message, base.executable),
        });
        await this.discover(true);
        this.setStatus('stopped', `Installed jupyter_server and ipykernel into ${built.envDir}.`, built.python);
        await this.ensure(built.python);
      } catch (err) {
        // pip's wording is about job requirements; say what this install needs instead.
        const why = (err as Error).message.split(/(?<=\.)\s/)[0];
        const guide = this.reports ? this.guide(this.reports) : null;
        this.setStatus(
          'missing',
          `Could not install jupyter_server and ipykernel into a managed environment: ${why} ` +
            'This needs a reachable package index (pip honours PIP_INDEX_URL and proxy settings) or a folder of wheels in KFD_WHEELHOUSE.' +
            (guide ? ` Or install them yourself: ${guide.commands.join('  or  ')}` : ''),
          null,
        );
      }
    })();
    return this.current;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopServer();
  }
}

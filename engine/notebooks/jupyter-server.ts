/**
 * One Jupyter server process owned by the engine: started on 127.0.0.1 with a free port and a
 * fresh token (environment only), polled until it answers, restarted after a crash (bounded),
 * stopped with its kernels when the engine closes. Nothing outside the engine learns its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { KernelAPI, ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import { ApiError } from '../api/api-error.js';
import type { ServerState } from '../api/schemas/notebooks.js';
import { DEFAULT_RESTART_POLICY, jupyterDirs, redact, serverArgs, serverEnv, shouldRestart, type RestartPolicy } from './server-launch.js';

export interface ServerHandle {
  settings: ServerConnection.ISettings;
  rootDir: string;
  /** Goes up with every (re)start: sessions of an older generation are gone. */
  generation: number;
}

export interface JupyterServerOptions {
  python: string;
  /** `<dataDir>/jupyter`: config, data and runtime dirs live here (mode 0700). */
  stateDir: string;
  env: NodeJS.ProcessEnv;
  home: string;
  onStatus(state: ServerState, message: string): void;
  /** The running server died: every kernel with it. */
  onLost(generation: number): void;
  readyTimeoutMs?: number;
  policy?: RestartPolicy;
}

const LOG_LINES = 40;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A `ws` WebSocket that authenticates with a header, so the token is never part of a URL. */
function authWebSocket(token: string): typeof globalThis.WebSocket {
  class AuthWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { Authorization: `token ${token}` } });
    }
  }
  return AuthWebSocket as unknown as typeof globalThis.WebSocket;
}

export class JupyterServer {
  private child: ChildProcess | null = null;
  private handle: ServerHandle | null = null;
  private starting: Promise<ServerHandle> | null = null;
  private stopping = false;
  private generation = 0;
  private readonly crashes: number[] = [];
  private log: string[] = [];
  restarts = 0;

  constructor(private readonly o: JupyterServerOptions) {}

  get python(): string {
    return this.o.python;
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** The server process (tests and diagnostics). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The last lines the server printed (token redacted). */
  logTail(): string {
    return this.log.join('\n');
  }

  /** A running server, starting one if needed. Rejects with `unavailable` and the reason. */
  ensure(): Promise<ServerHandle> {
    if (this.handle) return Promise.resolve(this.handle);
    if (this.stopping) return Promise.reject(new ApiError('unavailable', 'The Jupyter server is shutting down.'));
    this.starting ??= this.startWithRetries().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startWithRetries(): Promise<ServerHandle> {
    this.o.onStatus('starting', `Starting Jupyter with ${this.o.python}…`);
    for (let attempt = 1; ; attempt++) {
      try {
        const handle = await this.launch();
        this.o.onStatus('running', `Jupyter is running (${this.o.python}).`);
        return handle;
      } catch (err) {
        const message = (err as Error).message;
        // Someone took the free port between our check and the bind: try another.
        if (attempt < 3 && /already in use|address in use/i.test(message) && !this.stopping) continue;
        this.o.onStatus('failed', message);
        throw new ApiError('unavailable', message);
      }
    }
  }

  private async launch(): Promise<ServerHandle> {
    const dirs = jupyterDirs(this.o.stateDir);
    for (const dir of [this.o.stateDir, dirs.config, dirs.data, dirs.runtime]) await mkdir(dir, { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('hex');
    const port = await freePort();
    const rootDir = path.parse(this.o.stateDir).root;
    const child = spawn(this.o.python, serverArgs({ port, rootDir, runningAsRoot: process.getuid?.() === 0 }), {
      env: serverEnv(this.o.env, dirs, token, this.o.home),
      cwd: this.o.stateDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    this.child = child;
    this.log = [];
    const onData = (chunk: Buffer) => {
      for (const line of redact(chunk.toString('utf8'), token).split('\n')) if (line.trim()) this.log.push(line);
      if (this.log.length > LOG_LINES) this.log.splice(0, this.log.length - LOG_LINES);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(`could not start ${this.o.python}: ${err.message}`));
      child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    void exited.then(() => this.onExit(child));

    const baseUrl = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + (this.o.readyTimeoutMs ?? 60_000);
    let ended: string | null = null;
    void exited.then((why) => (ended = why));
    for (let delay = 50; ; delay = Math.min(delay * 1.5, 500)) {
      if (ended) throw new Error(`The Jupyter server (${this.o.python}) stopped during start-up (${ended}). Its last output:\n${this.logTail()}`);
      if (this.stopping) throw new Error('The Jupyter server start was cancelled: the app is closing.');
      try {
        const res = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        this.kill(child, 'SIGKILL');
        throw new Error(`The Jupyter server (${this.o.python}) did not answer within ${Math.round((this.o.readyTimeoutMs ?? 60_000) / 1000)} s. Its last output:\n${this.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
    const settings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: `ws://127.0.0.1:${port}/`,
      token,
      appendToken: false,
      WebSocket: authWebSocket(token),
      fetch: globalThis.fetch,
      Request: globalThis.Request,
      Headers: globalThis.Headers,
    });
    this.handle = { settings, rootDir, generation: ++this.generation };
    return this.handle;
  }

  private onExit(child: ChildProcess): void {
    if (child !== this.child) return;
    this.child = null;
    const lost = this.handle;
    this.handle = null;
    if (this.stopping) return;
    if (!lost) return; // died during start-up: launch() reports it
    this.o.onLost(lost.generation);
    if (shouldRestart(this.crashes, Date.now(), this.o.policy ?? DEFAULT_RESTART_POLICY)) {
      this.restarts++;
      this.o.onStatus('restarting', `The Jupyter server stopped unexpectedly; restarting it (restart ${this.restarts}). Running kernels were lost.`);
      this.ensure().catch(() => undefined); // ensure() reports a failure through onStatus
    } else {
      const policy = this.o.policy ?? DEFAULT_RESTART_POLICY;
      this.o.onStatus(
        'failed',
        `The Jupyter server stopped ${policy.maxRestarts + 1} times within ${Math.round(policy.windowMs / 60_000)} min, so it is not restarted again. Start it from the Notebooks page once the cause is fixed. Its last output:\n${this.logTail()}`,
      );
    }
  }

  private kill(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (child.pid && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  }

  /** Shuts kernels down through the API, then the server; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.starting?.catch(() => undefined);
    const child = this.child;
    const handle = this.handle;
    if (handle) {
      try {
        const kernels = await KernelAPI.listRunning(handle.settings);
        await Promise.all(kernels.map((k) => KernelAPI.shutdownKernel(k.id, handle.settings).catch(() => undefined)));
      } catch {
        // the server is not answering: the signals below still end it
      }
    }
    this.handle = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.kill(child, 'SIGTERM');
      const timer = setTimeout(() => this.kill(child, 'SIGKILL'), 8_000);
      await gone;
      clearTimeout(timer);
    }
    this.child = null;
    this.o.onStatus('stopped', 'The Jupyter server is stopped.');
  }
}

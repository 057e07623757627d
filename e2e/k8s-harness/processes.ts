/** The harness's processes: start under pdeathsig, wait for readiness, stop, and clean up runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// processes

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | string | null>;
  exitCode: number | string | null | undefined;
}

export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => isExecutable(p)) ?? null;
export const live = new Set<{ procs: Proc[]; runDir: string; keep: boolean }>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const run of live) {
      for (const p of run.procs) if (p.exitCode === undefined && p.child.pid) tryKill(p.child.pid, 'SIGKILL');
      if (!run.keep) fs.rmSync(run.runDir, { recursive: true, force: true });
    }
  });
}

export function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Env for components: no proxies (loopback only), no inherited kube settings. */
export function componentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(https?_proxy|all_proxy|no_proxy|kubeconfig)$/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...extra };
}

export function startProc(name: string, bin: string, args: string[], logDir: string, env: NodeJS.ProcessEnv = componentEnv()): Proc {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', fd, fd], env, cwd: logDir });
  fs.closeSync(fd);
  const proc: Proc = { name, child, logFile, exitCode: undefined, exited: Promise.resolve(null) };
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      proc.exitCode = code ?? signal;
      resolve(proc.exitCode);
    });
    child.once('error', (err) => {
      fs.appendFileSync(logFile, `\n[harness] spawn failed: ${err.message}\n`);
      proc.exitCode = 'spawn-error';
      resolve(proc.exitCode);
    });
  });
  return proc;
}

export function logTail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function stopProcs(procs: Proc[], graceMs = 5000): Promise<void> {
  const running = procs.filter((p) => p.exitCode === undefined && p.child.pid);
  for (const p of running) tryKill(p.child.pid!, 'SIGTERM');
  await Promise.all(
    running.map(async (p) => {
      const t = setTimeout(() => tryKill(p.child.pid!, 'SIGKILL'), graceMs);
      await p.exited;
      clearTimeout(t);
    }),
  );
}

/** Poll `check` until it returns true; fail early (with the log) if the process exits. */
export async function waitUntil(what: string, check: () => Promise<boolean>, { proc, timeoutMs = 60_000 }: { proc?: Proc; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  for (;;) {
    if (proc && proc.exitCode !== undefined) {
      throw new Error(`${proc.name} exited (${proc.exitCode}) before ${what}; log ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (${lastErr})` : ''}${proc ? `; log ${proc.logFile}:\n${logTail(proc.logFile)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function httpGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ...(ca ? { ca } : {}), timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** n distinct free loopback ports (all held open until every one is allocated). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** Remove run dirs of earlier runs whose owning process is gone (e.g. killed with SIGKILL). */
export function cleanStaleRuns(): void {
  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    if (!entry.startsWith('kfd-k8s-harness-')) continue;
    const dir = path.join(tmp, entry);
    try {
      const owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      if (owner && owner !== process.pid) process.kill(owner, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}


/**
 * The Jupyter server's life in the engine, against the real one: discovery finds Debian's
 * python3, the server starts lazily with the token only in its environment and our own Jupyter
 * dirs, a crash restarts it (sessions are reported lost), and closing the engine stops the
 * server and its kernels.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './jupyter-server.js';
import { jupyterDirs, serverArgs, serverEnv } from './server-launch.js';
import { NotebookHarness, PYTHON, requireJupyter, tempDir } from './test-support.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Processes whose environment names this data dir (the server and its kernels). */
function processesUsing(dataDir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`JUPYTER_RUNTIME_DIR=${dataDir}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.runIf(requireJupyter())('Jupyter server lifecycle (real Jupyter)', () => {
  let h: NotebookHarness;
  let root: string;

  beforeAll(async () => {
    h = new NotebookHarness();
    root = tempDir('ws');
    await h.call('notebooks.create', { root, path: 'a.ipynb' });
  });
  afterAll(() => h?.close());

  it('discovers /usr/bin/python3 with jupyter_server and ipykernel before starting anything', async () => {
    const s = await h.call('notebooks.servers', { refresh: true });
    expect(s.status.state).toBe('stopped');
    expect(s.guide).toBeNull();
    const debian = s.candidates.find((c: { source: string }) => c.source === 'KFD_PYTHON');
    expect(debian).toMatchObject({ command: PYTHON, problem: '' });
    expect(debian.jupyterServer).toMatch(/^\d/);
    expect(debian.ipykernel).toMatch(/^\d/);
    expect(h.engine.dataDir).toBeTruthy();
  });

  it('starts on 127.0.0.1 with the token in the environment only, and isolated Jupyter dirs', async () => {
    const info = await h.call('notebooks.startKernel', { root, path: 'a.ipynb' });
    expect((await h.run(info.sessionId, 'print("up")')).status).toBe('ok');
    const status = (await h.call('notebooks.servers', {})).status;
    expect(status).toMatchObject({ state: 'running', python: PYTHON });
    const pid = serverPidFromProc(h.dataDir);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const token = environ.find((e) => e.startsWith('JUPYTER_TOKEN='))!.slice('JUPYTER_TOKEN='.length);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(argv.join(' ')).not.toContain(token);
    expect(argv).toContain('--ServerApp.ip=127.0.0.1');
    expect(argv).toContain('--ServerApp.open_browser=False');
    const jupyterDir = path.join(h.dataDir, 'jupyter');
    expect(environ).toContain(`JUPYTER_CONFIG_DIR=${path.join(jupyterDir, 'config')}`);
    expect(environ).toContain(`JUPYTER_DATA_DIR=${path.join(jupyterDir, 'data')}`);
    expect(environ).toContain(`JUPYTER_RUNTIME_DIR=${path.join(jupyterDir, 'runtime')}`);
    expect(fs.statSync(jupyterDir).mode & 0o077).toBe(0);
    // The token never reaches what the UI can see.
    expect(JSON.stringify(h.seen)).not.toContain(token);
    expect(JSON.stringify(await h.call('notebooks.servers', {}))).not.toContain(token);
  });

  it('restarts after a crash; the lost kernel is reported dead and a new one works', async () => {
    const pid = serverPidFromProc(h.dataDir);
    const sessionId = (await h.call('notebooks.sessions', {}))[0].sessionId;
    const dead = h.waitFor('notebooks.kernelStatus', (p) => p.sessionId === sessionId && p.status === 'dead');
    const back = h.waitFor('notebooks.serverStatus', (p) => p.state === 'running', 60_000);
    process.kill(pid, 'SIGKILL');
    await dead;
    expect(h.seen.some((e) => e.event === 'notebooks.serverStatus' && (e.payload as any).state === 'restarting')).toBe(true);
    await back;
    expect(serverPidFromProc(h.dataDir)).not.toBe(pid);
    await expect(h.call('notebooks.execute', { sessionId, cellId: 'c', code: '1' })).rejects.toMatchObject({ code: 'not_found' });
    const again = await h.call('notebooks.startKernel', { root, path: 'a.ipynb' });
    expect((await h.run(again.sessionId, '2 + 2')).outputs[0]).toMatchObject({ data: { 'text/plain': '4' } });
    expect((await h.call('notebooks.servers', {})).status.restarts).toBe(1);
  }, 90_000);

  it('closing the engine stops the server and its kernels', async () => {
    const pids = processesUsing(path.join(h.dataDir, 'jupyter', 'runtime'));
    expect(pids.length).toBeGreaterThanOrEqual(2); // the server and a kernel
    await h.close();
    await until(() => pids.every((p) => !alive(p)));
  }, 30_000);

  it('the server stops by itself when the engine process dies without closing it', async () => {
    const dir = tempDir('orphan');
    const dirs = jupyterDirs(dir);
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    const args = serverArgs({ port: await freePort(), rootDir: '/', runningAsRoot: process.getuid?.() === 0 });
    // A shell stands in for the engine: it starts the server, prints its pid, and is then killed.
    const quoted = [PYTHON, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const shell = spawn('sh', ['-c', `${quoted} >/dev/null 2>&1 & echo $!; wait`], { env: serverEnv(process.env, dirs, 'orphan-token', os.homedir()) });
    const serverPid = await new Promise<number>((resolve) => shell.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    try {
      await until(() => fs.readdirSync(dirs.runtime).some((f) => f.startsWith('jpserver-')), 30_000);
      shell.kill('SIGKILL');
      await until(() => !alive(serverPid) || fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8').includes(') Z '), 15_000);
    } finally {
      if (alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  }, 60_000);
});

/** The jupyter_server process: the one whose argv has our launcher flags. */
function serverPidFromProc(dataDir: string): number {
  const runtime = path.join(dataDir, 'jupyter', 'runtime');
  const pid = processesUsing(runtime).find((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--ServerApp.ip=127.0.0.1'));
  if (!pid) throw new Error('no Jupyter server process found');
  return pid;
}

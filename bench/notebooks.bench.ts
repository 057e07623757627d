/**
 * What our notebook stack costs per cell: the same tiny execute (`1 + 1`) round trip through the
 * engine (in-process dispatch + events, the CLI's path; and HTTP + WebSocket, the browser's
 * path) against raw @jupyterlab/services talking to a Jupyter server directly (the baseline).
 * Needs Debian's Jupyter in /usr/bin/python3; says so and skips otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KernelManager } from '@jupyterlab/services';
import WebSocket from 'ws';
import { tokenSubprotocol, EVENTS_SUBPROTOCOL } from '../engine/api/web-auth.js';
import { startWebServer } from '../engine/api/web-server.js';
import { createEngine } from '../engine/engine.js';
import { JupyterServer } from '../engine/notebooks/jupyter-server.js';
import { measure, ratioLine } from './measure.js';

const PYTHON = '/usr/bin/python3';
const CODE = '1 + 1';

export async function run(): Promise<string[]> {
  const probe = spawnSync(PYTHON, ['-c', 'import jupyter_server, ipykernel'], { encoding: 'utf8' });
  if (probe.status !== 0) return [`skipped: ${PYTHON} has no jupyter_server/ipykernel (sudo apt-get install python3-jupyter-server python3-ipykernel)`];
  console.debug = () => undefined; // @jupyterlab/services narrates its sockets
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-nb-'));
  const lines: string[] = [];
  const engine = createEngine({ dataDir: path.join(dir, 'data'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), KFD_PYTHON: PYTHON } });
  const raw = new JupyterServer({ python: PYTHON, stateDir: path.join(dir, 'raw'), env: process.env, home: os.homedir(), onStatus: () => undefined, onLost: () => undefined });
  try {
    // Baseline: raw @jupyterlab/services, one kernel, requestExecute → done.
    const handle = await raw.ensure();
    const kernels = new KernelManager({ serverSettings: handle.settings });
    const kernel = await kernels.startNew({ name: 'python3' });
    await kernel.info;
    const baseline = await measure('raw @jupyterlab/services requestExecute', () => kernel.requestExecute({ code: CODE }).done, 200, 20);

    // Ours, in-process: notebooks.execute, then wait for notebooks.cellDone.
    const created = await engine.dispatch('notebooks.create', { root: dir, path: 'bench.ipynb' });
    if ('error' in created) throw new Error(created.error.message);
    const started = await engine.dispatch('notebooks.startKernel', { root: dir, path: 'bench.ipynb' });
    if ('error' in started) throw new Error(started.error.message);
    const sessionId = (started.result as { sessionId: string }).sessionId;
    const waiters = new Map<string, () => void>();
    engine.events.subscribe((event, payload) => {
      if (event === 'notebooks.cellDone') waiters.get((payload as { cellId: string }).cellId)?.();
    });
    let n = 0;
    const inProcess = await measure('kfd notebooks.execute → cellDone (in-process)', async () => {
      const cellId = `c${n++}`;
      const done = new Promise<void>((resolve) => waiters.set(cellId, resolve));
      await engine.dispatch('notebooks.execute', { sessionId, cellId, code: CODE });
      await done;
      waiters.delete(cellId);
    }, 200, 20);
    lines.push(ratioLine(inProcess, baseline));

    // Ours, as the browser does it: HTTP POST + the event WebSocket.
    const server = await startWebServer({ dispatch: engine.dispatch, events: engine.events, staticDir: dir, token: 'bench' });
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}api/events`, [EVENTS_SUBPROTOCOL, tokenSubprotocol('bench')], { origin: server.url.slice(0, -1) });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const wsWaiters = new Map<string, () => void>();
    ws.on('message', (data) => {
      const { event, payload } = JSON.parse(String(data)) as { event: string; payload: { cellId?: string } };
      if (event === 'notebooks.cellDone' && payload.cellId) wsWaiters.get(payload.cellId)?.();
    });
    const overWeb = await measure('kfd notebooks.execute → cellDone (HTTP + WebSocket)', async () => {
      const cellId = `w${n++}`;
      const done = new Promise<void>((resolve) => wsWaiters.set(cellId, resolve));
      const res = await fetch(`${server.url}api/notebooks.execute`, {
        method: 'POST',
        headers: { Authorization: 'Bearer bench', 'Content-Type': 'application/json' },
        body: JSON.stringify({ sessionId, cellId, code: CODE }),
      });
      await res.json();
      await done;
      wsWaiters.delete(cellId);
    }, 200, 20);
    lines.push(ratioLine(overWeb, baseline));
    ws.close();
    await server.close();
    await kernel.shutdown();
    kernels.dispose();
  } finally {
    await engine.close();
    await raw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

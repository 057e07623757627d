/**
 * Model serving against the same server started by hand:
 * (a) V2 infer latency (one digit per request, sequential, p50/p95 of 300): MLServer as the app
 *     serves it (a job of the job system, `models.serve`) vs `mlserver start` run by hand in a copy
 *     of the same folder with the same venv — and through the engine's API (what Try it does);
 * (b) "Serve" → ready: `models.serve` until the deployment is Ready, vs spawning `mlserver start`
 *     until `/v2/health/ready` answers (median of 3, the venv already built).
 * The serving venv comes from the shared test cache (built once from PyPI; its build time is
 * printed when this run had to make it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../engine/models/model-servers.js';
import { quantile } from '../engine/models/v2-protocol.js';
import { probePython } from '../engine/jobs/test-support/python.js';
import { TestEngine, waitFor } from '../engine/jobs/test-support/test-engine.js';
import { digitsRequest, heldOutDigits, modelsEnv, shareServingEnvs, trainTemplateModel } from '../engine/models/test-support/models-parts.js';
import { median, ratioLine } from './measure.js';

const REQUESTS = 300;
const STARTS = 3;

function pLine(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${name}: p50 ${quantile(s, 0.5).toFixed(2)} ms, p95 ${quantile(s, 0.95).toFixed(2)} ms`;
}

async function sequential(url: string, model: string, body: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < REQUESTS + 20; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/v2/models/${model}/infer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`infer answered ${res.status}`);
    if (i >= 20) out.push(performance.now() - t0);
  }
  return out;
}

/** `mlserver start .` by hand in a copy of the server folder, on its own ports; resolves once ready. */
async function byHand(serverDir: string, python: string): Promise<{ url: string; ms: number; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-mlserver-'));
  fs.cpSync(serverDir, dir, { recursive: true });
  const [http, grpc] = [await freePort(), await freePort()];
  const settings = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...settings, http_port: http, grpc_port: grpc }));
  const mlserver = path.join(path.dirname(python), 'mlserver');
  const t0 = performance.now();
  const child = spawn(mlserver, ['start', '.'], { cwd: dir, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${http}`;
  await waitFor('mlserver by hand', () => fetch(`${url}/v2/health/ready`).then((r) => r.status === 200, () => false), 120_000, 50);
  const ms = performance.now() - t0;
  return {
    url,
    ms,
    stop: async () => {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function run(): Promise<string[]> {
  const reason = probePython('import sklearn, joblib, venv');
  if (reason) return [`skipped: ${reason}`];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-models-'));
  const dataDir = path.join(root, 'data');
  shareServingEnvs(dataDir);
  const t = TestEngine.open(dataDir, modelsEnv());
  const lines: string[] = [];
  try {
    const { jobId } = await trainTemplateModel(t, path.join(root, 'ws'));
    const v = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    const a = v.artifacts[0]!;
    const body = JSON.stringify(digitsRequest(heldOutDigits(path.join(a.localPath, a.modelFile), 1).x));

    const serveStarts: number[] = [];
    let serverId = '';
    for (let i = 0; i < STARTS + 1; i++) {
      const t0 = performance.now();
      const d = serverId ? await t.call('models.servers.restart', { id: serverId }) : await t.call('models.serve', { model: 'digits:v1' });
      serverId = d.id;
      const ready = await waitFor('Ready', async () => {
        const x = await t.call('models.servers.get', { id: d.id });
        if (x.state === 'Failed') throw new Error(x.message);
        return x.state === 'Ready' ? x : null;
      }, 1_200_000, 50);
      const ms = performance.now() - t0;
      // The first start may build the venv (minutes): reported apart, not in the median.
      if (i === 0) lines.push(`first Serve → Ready (venv ${ms > 60_000 ? 'built in this run' : 'from the cache'}): ${(ms / 1000).toFixed(1)} s`);
      else serveStarts.push(ms);
      if (i < STARTS) continue;
      const served = await sequential(ready.url!, 'digits-v1', body);
      const apiTimes: number[] = [];
      for (let k = 0; k < REQUESTS; k++) apiTimes.push((await t.call('models.servers.infer', { id: d.id, request: JSON.parse(body) as unknown })).latencyMs);
      const serverDir = path.join(dataDir, 'models', 'servers', d.id);
      const python = (/command:\n\s+- (\S+)/.exec((await t.call('jobs.get', { id: ready.jobId! })).spec) ?? [])[1]!;
      await t.call('models.servers.stop', { id: d.id });

      const handStarts: number[] = [];
      let hand: Awaited<ReturnType<typeof byHand>> | null = null;
      for (let k = 0; k < STARTS; k++) {
        hand = await byHand(serverDir, python);
        handStarts.push(hand.ms);
        if (k < STARTS - 1) await hand.stop();
      }
      const direct = await sequential(hand!.url, 'digits-v1', body);
      await hand!.stop();

      lines.push(pLine(`V2 infer, server started by the app (${REQUESTS} sequential)`, served));
      lines.push(pLine('V2 infer, the same mlserver started by hand', direct));
      lines.push(ratioLine(median('app-started p50', served), median('by-hand p50', direct)));
      lines.push(pLine('infer through the engine API (Try it: models.servers.infer, server-side latency)', apiTimes));
      lines.push(ratioLine(median('Serve → Ready (models.serve/restart, venv cached)', serveStarts), median('mlserver start by hand → /v2/health/ready', handStarts)));
    }
  } finally {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return lines;
}

/**
 * Container backend: submit → first user log line. `jobs.run --backend container` on a one-line
 * script until that line arrives in a `jobs.log` event (network + container create/start, the
 * launcher, the log copy, the capture), against plain `docker run --rm` of the same image and
 * command until its first stdout line (median of 7 each, after one warm-up).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { LogLine } from '../engine/api/contract.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { Sample } from './measure.js';
import { ratioLine } from './measure.js';

const IMAGE = 'kfd-test/python:bookworm';
const RUNS = 7;
const FIRST_LINE = 'first line from train.py';

function median(name: string, times: number[]): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { name, medianMs, opsPerSec: medianMs > 0 ? 1000 / medianMs : Infinity };
}

async function timed(fn: () => Promise<number>): Promise<number[]> {
  await fn(); // warm-up: page cache, image layers
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await fn());
  return times;
}

/** ms from spawning `docker run` until its first stdout line; waits for it to exit. */
function dockerRunFirstLine(ws: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    const child = spawn('docker', ['run', '--rm', '-v', `${ws}:/workspace`, '-w', '/workspace', '-e', 'PYTHONUNBUFFERED=1', IMAGE, 'python3', 'train.py'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => {
      if (!first) first = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && first ? resolve(first) : reject(new Error(`docker run exited ${code}`))));
  });
}

/** ms from `jobs.run` until the script's line arrives in a jobs.log event; waits for the job to end. */
async function engineFirstLine(engine: Engine, ws: string): Promise<number> {
  let seen: (ms: number) => void = () => {};
  const line = new Promise<number>((resolve) => (seen = resolve));
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  let jobId = '';
  const t0 = performance.now();
  const off = engine.events.subscribe((event, payload) => {
    if (event === 'jobs.log' && (payload as { lines: LogLine[] }).lines.some((l) => l.text === FIRST_LINE)) seen(performance.now() - t0);
    const job = payload as { id: string; status: string; message: string | null };
    if (event === 'jobs.changed' && job.id === jobId && ['Complete', 'Failed', 'Cancelled'].includes(job.status)) {
      if (job.status !== 'Complete') seen(Number.NaN);
      ended();
    }
  });
  try {
    const answer = await engine.dispatch('jobs.run', { path: ws, backend: 'container' });
    if ('error' in answer) throw new Error(answer.error.message);
    jobId = (answer.result as { id: string }).id;
    const ms = await line;
    await end;
    if (Number.isNaN(ms)) throw new Error(`job ${jobId} did not complete`);
    return ms;
  } finally {
    off();
  }
}

export async function run(): Promise<string[]> {
  const docker = new Docker(process.env.DOCKER_HOST ? undefined : { socketPath: '/var/run/docker.sock' });
  const missing = await docker.getImage(IMAGE).inspect().then(() => '', (err: Error) => err.message);
  if (missing) return [`submit → first log line (container): skipped (${IMAGE}: ${missing}; run scripts/build-test-images.sh)`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-container-'));
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'train.py'), `print(${JSON.stringify(FIRST_LINE)}, flush=True)\n`);
  fs.writeFileSync(
    path.join(ws, 'trainjob.yaml'),
    `apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: first-line\nspec:\n  runtimeRef:\n    name: torch-distributed\n  trainer:\n    image: ${IMAGE}\n    command: ["python3", "train.py"]\n    numNodes: 1\n    numProcPerNode: 1\n`,
  );
  const engine = createEngine({ dataDir: path.join(dir, 'engine'), env: { PATH: process.env.PATH, HOME: os.homedir() } });
  try {
    const baseline = median(`docker run --rm ${IMAGE} python3 train.py → first stdout line`, await timed(() => dockerRunFirstLine(ws)));
    const subject = median('jobs.run --backend container → line in a jobs.log event', await timed(() => engineFirstLine(engine, ws)));
    return [ratioLine(subject, baseline)];
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

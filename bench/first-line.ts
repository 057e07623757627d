/** "Submit → first user log line", measured the same way for a plain command and for the engine. */
import { spawn, type SpawnOptions } from 'node:child_process';
import type { BackendId, LogLine } from '../engine/api/contract.js';
import type { Engine } from '../engine/engine.js';

/** ms from spawning the command until its first stdout line; waits for it to exit 0. */
export function spawnFirstLine(cmd: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    let buf = '';
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (!first && buf.includes('\n')) first = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && first ? resolve(first) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** ms from `jobs.run` until `line` arrives in a jobs.log event; waits for the job to complete. */
export async function engineFirstLine(engine: Engine, ws: string, line: string, backend: BackendId = 'local-process', target?: string): Promise<number> {
  let seen: (ms: number) => void = () => {};
  const arrived = new Promise<number>((resolve) => (seen = resolve));
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  let jobId = '';
  const t0 = performance.now();
  const off = engine.events.subscribe((event, payload) => {
    if (event === 'jobs.log' && (payload as { lines: LogLine[] }).lines.some((l) => l.text === line)) seen(performance.now() - t0);
    const job = payload as { id: string; status: string };
    if (event === 'jobs.changed' && job.id === jobId && ['Complete', 'Failed', 'Cancelled'].includes(job.status)) {
      if (job.status !== 'Complete') seen(Number.NaN);
      ended();
    }
  });
  try {
    const answer = await engine.dispatch('jobs.run', { path: ws, backend, ...(target ? { target } : {}) });
    if ('error' in answer) throw new Error(answer.error.message);
    jobId = (answer.result as { id: string }).id;
    const ms = await arrived;
    await end;
    if (Number.isNaN(ms)) throw new Error(`job ${jobId} did not complete`);
    return ms;
  } finally {
    off();
  }
}

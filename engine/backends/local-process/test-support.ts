/** Helpers for the local-process integration tests (real processes, real Python). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RankInfo } from '../../api/schemas/jobs.js';
import { parseRecord } from '../../jobs/logs/log-format.js';
import type { Trainer, TrainJob } from '../../jobs/trainjob/trainjob-schema.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import type { BackendCallbacks, JobLaunch } from '../backend.js';

/** Debian's python3 (has torch and sklearn); the `python3` on PATH here is a separate build. */
export const PYTHON = '/usr/bin/python3';

// One definition of "python3 / torch are here" (and the missing-part policy) for every job test.
export { hasPython, hasTorch } from '../../jobs/test-support/parts.js';

export const tempDir = (prefix: string): string => makeTempDir('lp', prefix);

export function makeLaunch(trainer: Trainer, over: Partial<JobLaunch> & { jobId: string; workspace: string; jobDir: string }): JobLaunch {
  const job: TrainJob = { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: 'test' }, spec: { runtimeRef: { name: 'torch-distributed' }, trainer } };
  return {
    job,
    numNodes: trainer.numNodes ?? 1,
    numProcPerNode: typeof trainer.numProcPerNode === 'number' ? trainer.numProcPerNode : 1,
    baseEnv: { PATH: process.env.PATH, HOME: os.homedir() },
    python: PYTHON,
    graceMs: 1000,
    ...over,
  };
}

/** Records every rank update; `latest` is each rank's newest state. */
export function recorder(): BackendCallbacks & { updates: RankInfo[]; latest: Map<number, RankInfo> } {
  const updates: RankInfo[] = [];
  const latest = new Map<number, RankInfo>();
  return {
    updates,
    latest,
    onRankUpdate(rank) {
      updates.push(rank);
      latest.set(rank.globalRank, rank);
    },
  };
}

export function logLines(jobDir: string, rank: number): { stream: string; text: string }[] {
  const file = path.join(jobDir, 'logs', `rank-${rank}.log`);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const r = parseRecord(l);
    if (!r) throw new Error(`not a log record: ${JSON.stringify(l)}`);
    return r;
  });
}

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

/** Live (non-zombie) processes, other than this one, whose environment or command line contains `marker`. */
export function processesMentioning(marker: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const stat = read(`/proc/${pid}/stat`);
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (cmdline.includes(marker) || read(`/proc/${pid}/environ`).includes(marker)) out.push({ pid, cmdline: cmdline.replace(/\0/g, ' ') });
  }
  return out;
}

/** Every process's command line, for the secrets check. */
export function allCmdlines(): string[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => read(`/proc/${d}/cmdline`));
}

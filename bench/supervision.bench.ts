/**
 * What supervising a local job costs in memory: a 4-rank and a 1-rank job whose ranks sleep;
 * while they run, the RSS of every process that supervises a rank (the parents of the job's
 * ranks: detached wrappers that outlive the app) against the RSS of the ranks themselves
 * (python3), measured in the same run. Goal: ≤ 50 MB of supervision per job, whatever its ranks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/engine.js';
import { processesWithEnv } from '../engine/backends/local-process/processes.js';
import { JOB_ID_ENV } from '../engine/backends/local-process/rank-plan.js';
import { jobEnv, probePython } from '../engine/jobs/test-support/python.js';
import { waitFor } from '../engine/jobs/test-support/test-engine.js';
import { writeWorkspace } from '../engine/jobs/test-support/workspaces.js';

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function ppid(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

export async function run(): Promise<string[]> {
  const reason = probePython('import sys') ?? (fs.existsSync('/proc/self/status') ? null : 'no /proc');
  if (reason) return [`skipped (${reason})`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-supervision-'));
  const engine = createEngine({ dataDir: path.join(dir, 'data'), env: jobEnv() });
  const lines: string[] = [];
  try {
    for (const ranks of [4, 1]) {
      const ws = writeWorkspace(path.join(dir, `ws${ranks}`), `sleepers-${ranks}`, 'import time\nprint("up", flush=True)\ntime.sleep(30)\n', { numProcPerNode: ranks });
      const answer = await engine.dispatch('jobs.run', { path: ws });
      if ('error' in answer) throw new Error(answer.error.message);
      const id = (answer.result as { id: string }).id;
      const rankPids = await waitFor(`${ranks} ranks of ${id} to run`, () => {
        const pids = processesWithEnv(JOB_ID_ENV, id);
        return pids.length >= ranks ? pids : null;
      }, 30_000);
      await new Promise((r) => setTimeout(r, 500)); // let them settle
      const rankSet = new Set(rankPids);
      const supervisors = [...new Set(rankPids.map(ppid))].filter((p) => !rankSet.has(p) && p !== process.pid);
      const sup = supervisors.reduce((s, p) => s + rssKb(p), 0);
      const py = rankPids.reduce((s, p) => s + rssKb(p), 0);
      lines.push(
        `${ranks}-rank job: supervision ${mb(sup)} in ${supervisors.length} process(es) vs the ranks' python ${mb(py)} → ${(sup / py).toFixed(2)}× the ranks (goal ≤ 50 MB per job)`,
      );
      await engine.dispatch('jobs.cancel', { id });
    }
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/**
 * `kfd` as a user starts it: the wall time of `node bin/kfd.mjs <command>` (what the installed
 * `kfd` runs) from spawn to exit, against `node -e 0` measured in the same run. The data dir
 * holds 200 finished jobs (history), so `jobs` and `show` read a real table. `run` returns the
 * job id without following; each run's job is a one-line script.
 * Goals on an idle machine: version ≤ 0.3 s, jobs / show ≤ 0.5 s, run ≤ 1 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KFD_BIN, kfdEnv } from '../engine/jobs/test-support/kfd-cli.js';
import { probePython } from '../engine/jobs/test-support/python.js';
import { trainJobYaml } from '../engine/jobs/test-support/workspaces.js';
import { seedHistory } from './seed-history.js';
import { median, ratioLine, type Sample } from './measure.js';

const RUNS = 5;

/** CPU time (user + system, ms) of this process's reaped children, from /proc (10 ms ticks). */
function childrenCpuMs(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').slice(fs.readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

/** Wall and CPU ms of one run. */
function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; cpu: number } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpu: childrenCpuMs() - c0 };
}

function sample(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Sample & { cpuMs: number } {
  wall(cmd, args, env); // warm the page cache (and a build, if one is due)
  const runs = Array.from({ length: RUNS }, () => wall(cmd, args, env));
  return { ...median(name, runs.map((r) => r.ms)), cpuMs: median('cpu', runs.map((r) => r.cpu)).medianMs };
}

const seconds = (s: Sample & { cpuMs: number }) => `${(s.medianMs / 1000).toFixed(2)} s, CPU ${(s.cpuMs / 1000).toFixed(2)} s`;

export async function run(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-cli-'));
  const dataDir = path.join(dir, 'data');
  const env = kfdEnv(dataDir);
  try {
    const ids = seedHistory(dataDir, 200);
    const baseline = sample('node -e 0', process.execPath, ['-e', '0'], env);
    const lines: string[] = [`baseline node -e 0: ${seconds(baseline)} (on a busy machine wall time grows with the load; CPU time is what the command costs)`];
    const each = (name: string, args: string[], goalS: number) => {
      const s = sample(`kfd ${name}`, process.execPath, [KFD_BIN, ...args], env);
      lines.push(`${ratioLine(s, baseline)} (${seconds(s)}; goal ≤ ${goalS} s idle)`);
    };
    each('version', ['version'], 0.3);
    each('jobs', ['jobs'], 0.5);
    each('show', ['show', ids[ids.length - 1]!.slice(0, 8)], 0.5);
    const noPython = probePython('import sys');
    if (noPython) lines.push(`kfd run: skipped (${noPython})`);
    else {
      const ws = path.join(dir, 'ws');
      fs.mkdirSync(ws);
      fs.writeFileSync(path.join(ws, 'trainjob.yaml'), trainJobYaml('cli-bench', { numProcPerNode: 1 }));
      fs.writeFileSync(path.join(ws, 'train.py'), 'print("hello", flush=True)\n');
      each('run <ws> (returns the job id)', ['run', ws], 1);
      // Let those jobs end before the data dir goes.
      wall(process.execPath, [KFD_BIN, 'logs', '--follow', '--', spawnSync(process.execPath, [KFD_BIN, 'jobs', '--json', '-n', '1'], { env, encoding: 'utf8' }).stdout.match(/"id": "([^"]+)"/)![1]!], env);
    }
    lines.push(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

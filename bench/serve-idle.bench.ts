/**
 * Idle web mode: `kfd serve` (as `npm start` runs it where Electron cannot start) after the app
 * opened on its first page (the Jobs page: version, settings, the job list), then left alone: its
 * RSS against a bare Node HTTP server started the same way, and the CPU time it uses in 5 idle
 * seconds. Then the same after visiting the Workspace and Doctor pages too (run targets load the
 * Kubernetes and Docker clients). Goal: ≤ 150 MB RSS idle, no CPU while idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KFD_BIN, kfdEnv } from '../engine/jobs/test-support/kfd-cli.js';
import { REPO_ROOT } from '../engine/jobs/test-support/workspaces.js';

const BARE = "require('http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port + '/?token=x') })";

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** utime + stime in clock ticks. */
function cpuTicks(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function started(child: ChildProcess): Promise<URL> {
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
  });
}

const JOBS_PAGE = ['version', 'settings.get', 'jobs.list'];
const MORE_PAGES = [...JOBS_PAGE, 'app.info', 'workspace.recent', 'workspace.targets', 'targets.list', 'doctor.list'];

async function idleFootprint(args: string[], env: NodeJS.ProcessEnv, calls: string[]): Promise<{ rss: number; idleTicks: number }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await started(child);
    const token = url.searchParams.get('token')!;
    await (await fetch(new URL('/', url))).text();
    {
      for (const method of calls) {
        await (await fetch(new URL(`/api/${method}`, url), { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' })).text();
      }
    }
    await new Promise((r) => setTimeout(r, 2000));
    const before = cpuTicks(child.pid!);
    await new Promise((r) => setTimeout(r, 5000));
    return { rss: rssKb(child.pid!), idleTicks: cpuTicks(child.pid!) - before };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function run(): Promise<string[]> {
  if (!fs.existsSync('/proc/self/status')) return ['skipped (no /proc)'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-serve-'));
  try {
    const env = kfdEnv(path.join(dir, 'data'));
    const bare = await idleFootprint(['-e', BARE], env, []);
    const serve = await idleFootprint([KFD_BIN, 'serve'], env, JOBS_PAGE);
    const visited = await idleFootprint([KFD_BIN, 'serve'], env, MORE_PAGES);
    const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
    return [
      `kfd serve idle on the Jobs page: RSS ${mb(serve.rss)} vs a bare Node HTTP server ${mb(bare.rss)} → ${(serve.rss / bare.rss).toFixed(2)}× the baseline (goal ≤ 150 MB)`,
      `CPU while idle for 5 s: kfd serve ${serve.idleTicks} ticks, bare server ${bare.idleTicks} ticks (1 tick = 10 ms; goal 0)`,
      `after the Workspace and Doctor pages too (Kubernetes and Docker clients loaded): RSS ${mb(visited.rss)}, ${visited.idleTicks} ticks idle`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

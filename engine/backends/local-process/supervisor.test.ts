/**
 * One supervisor per local job (job-supervisor.ts), and the warm spare a long-lived engine keeps
 * so the next job's ranks start without waiting for Node: real processes, real Python.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTimeOf } from '../../ownership/process-identity.js';
import type { Trainer } from '../../jobs/trainjob/trainjob-schema.js';
import type { PidRecord } from './job-files.js';
import { createLocalProcessBackend, type LocalProcessBackend } from './local-process-backend.js';
import { allCmdlines, hasPython, logLines, makeLaunch, processesMentioning, recorder, tempDir, waitFor } from './test-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function newJob(name: string, script: string, trainer: Trainer = {}) {
  const workspace = tempDir(`${name}-ws`);
  fs.writeFileSync(path.join(workspace, 'job.py'), script);
  const jobId = `lp-${name}-${randomBytes(4).toString('hex')}`;
  const jobDir = path.join(tempDir(`${name}-data`), 'jobs', jobId);
  return { jobId, jobDir, launch: makeLaunch({ command: ['python3', 'job.py'], ...trainer }, { jobId, workspace, jobDir }) };
}

const pidRecord = (jobDir: string, rank: number) => JSON.parse(fs.readFileSync(path.join(jobDir, 'ranks', `rank-${rank}.pid.json`), 'utf8')) as PidRecord;
const parentOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};
/** Live supervisors still waiting for a job (spares) that `parent` started, by their command line. */
const spares = (parent = process.pid) => processesMentioning('job-supervisor.mjs').filter((p) => p.cmdline.includes('--spare') && parentOf(p.pid) === parent);
const readPidRecord = (jobDir: string, rank: number) => {
  try {
    return pidRecord(jobDir, rank);
  } catch {
    return null;
  }
};
const alive = (pid: number) => startTimeOf(pid) !== null;

const backends: LocalProcessBackend[] = [];
afterEach(() => backends.splice(0).forEach((b) => b.close()));

describe.runIf(hasPython())('job supervisor', () => {
  it('one supervisor process per job whatever its rank count: 4 ranks share one parent, which exits when they end', async () => {
    const { jobDir, launch } = newJob('four', 'import time\nprint("up", flush=True)\ntime.sleep(1)\n', { numProcPerNode: 4 });
    const backend = createLocalProcessBackend({ pollMs: 100 });
    backends.push(backend);
    const job = await backend.start(launch, recorder());
    await waitFor('4 ranks running', () => [0, 1, 2, 3].every((r) => (readPidRecord(jobDir, r)?.pid ?? null) !== null && logLines(jobDir, r).length > 0));
    const records = [0, 1, 2, 3].map((r) => pidRecord(jobDir, r));
    const supervisor = records[0]!.wrapperPid;
    expect(records.map((r) => r.wrapperPid)).toEqual([supervisor, supervisor, supervisor, supervisor]);
    expect(records.map((r) => parentOf(r.pid!))).toEqual([supervisor, supervisor, supervisor, supervisor]);
    expect(records[0]!.wrapperStarted).toBe(startTimeOf(supervisor));
    expect(await job.done).toMatchObject({ status: 'Complete', exitCode: 0 });
    expect(alive(supervisor)).toBe(false);
  });

  it('a warm spare takes the next job: it was up before the job, ps shows the job dir, no secret in any command line; close ends an unused spare', async () => {
    const backend = createLocalProcessBackend({ pollMs: 100, warmSpare: true });
    backends.push(backend);
    const script = 'import os\nprint("token", len(os.environ["SECRET_TOKEN"]), flush=True)\n';
    const first = newJob('cold', script, { env: [{ name: 'SECRET_TOKEN', value: 'hunter2-spare' }] });
    expect(await (await backend.start(first.launch, recorder())).done).toMatchObject({ status: 'Complete' });
    const [spare] = await waitFor('a spare waiting for the next job', () => (spares().length ? spares() : null));

    const second = newJob('warm', `${script}import time\ntime.sleep(2)\n`, { env: [{ name: 'SECRET_TOKEN', value: 'hunter2-spare' }], numProcPerNode: 2 });
    const job = await backend.start(second.launch, recorder());
    expect((await waitFor('its pid record', () => readPidRecord(second.jobDir, 0))).wrapperPid).toBe(spare!.pid);
    await waitFor('the supervisor to show its job', () => processesMentioning(second.jobDir).some((p) => p.pid === spare!.pid && p.cmdline.startsWith('kfd-job-supervisor ')));
    expect(allCmdlines().filter((c) => c.includes('hunter2-spare'))).toEqual([]);
    expect(await job.done).toMatchObject({ status: 'Complete', exitCode: 0 });
    expect(logLines(second.jobDir, 1).map((l) => l.text)).toEqual(['token 13']);

    const next = await waitFor('a new spare', () => spares().find((p) => p.pid !== spare!.pid));
    backend.close();
    await waitFor('the unused spare to exit', () => !alive(next.pid), 5000);
  });

  it('a job started on a spare survives a kill -9 of its engine; the engine\'s unused spare exits with it', async () => {
    const ticker = 'import time\nfor i in range(8):\n    print("tick", i, flush=True)\n    time.sleep(0.25)\n';
    const a = newJob('k9a', ticker);
    const b = newJob('k9b', ticker, { numProcPerNode: 2 });
    const files = [a, b].map((j) => {
      const f = path.join(tempDir('k9-launch'), 'launch.json');
      fs.writeFileSync(f, JSON.stringify(j.launch));
      return f;
    });
    const engine = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'test-engine-driver.ts'), ...files], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KFD_TEST_WARM_SPARE: '1' },
    });
    let out = '';
    engine.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the engine to start both jobs', () => out.includes(`started ${b.jobId}`), 30_000);
    await waitFor('job b printing', () => logLines(b.jobDir, 1).length >= 1);
    const onSpare = pidRecord(b.jobDir, 0).wrapperPid;
    expect(onSpare).not.toBe(pidRecord(a.jobDir, 0).wrapperPid);
    const unused = await waitFor('the engine to hold a new spare', () => spares(engine.pid!)[0]);
    engine.kill('SIGKILL');
    await new Promise((r) => engine.once('exit', r));
    await waitFor('the unused spare to exit with its engine', () => !alive(unused.pid), 5000);

    const job = await createLocalProcessBackend({ pollMs: 100 }).reattach(b.jobId, b.jobDir, recorder());
    expect(await job.done).toMatchObject({ status: 'Complete', exitCode: 0 });
    for (const r of [0, 1]) expect(logLines(b.jobDir, r).map((l) => l.text).at(-1)).toBe('tick 7');
    expect(alive(onSpare)).toBe(false);
  });
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Trainer } from '../../jobs/trainjob/trainjob-schema.js';
import type { PidRecord } from './job-files.js';
import { createLocalProcessBackend } from './local-process-backend.js';
import { hasPython, logLines, makeLaunch, processesMentioning, recorder, tempDir, waitFor } from './test-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function newJob(name: string, script: string, trainer: Trainer) {
  const workspace = tempDir(`${name}-ws`);
  fs.writeFileSync(path.join(workspace, 'job.py'), script);
  const jobId = `lp-${name}-${randomBytes(4).toString('hex')}`;
  const jobDir = path.join(tempDir(`${name}-data`), 'jobs', jobId);
  return { jobId, jobDir, launch: makeLaunch({ command: ['python3', 'job.py'], ...trainer }, { jobId, workspace, jobDir }) };
}

// Rank 0 prints a line every 0.25 s for about 3 s; rank 1 prints twice and ends after 0.3 s.
const TICKER = 'import os, time\nn = 12 if os.environ["RANK"] == "0" else 2\nfor i in range(n):\n    print("tick", i, flush=True)\n    time.sleep(0.25 if n == 12 else 0.15)\n';
const noProcesses = (jobId: string, jobDir: string) => processesMentioning(jobId).length === 0 && processesMentioning(jobDir).length === 0;

describe.runIf(hasPython())('local-process backend after an engine restart', () => {
  it('re-attaches to running ranks: logs keep flowing, real exit codes, a rank that ended meanwhile included', async () => {
    const { jobId, jobDir, launch } = newJob('reattach', TICKER, { numProcPerNode: 2 });
    const first = await createLocalProcessBackend({ pollMs: 100 }).start(launch, recorder());
    await waitFor('rank 0 printing', () => logLines(jobDir, 0).length >= 1);
    first.detach(); // the engine "dies": nothing is killed, nothing more is watched
    const linesAtDeath = logLines(jobDir, 0).length;
    await waitFor('rank 1 ending while the engine is down', () => fs.existsSync(path.join(jobDir, 'ranks', 'rank-1.exit.json')));

    const rec = recorder();
    const job = await createLocalProcessBackend({ pollMs: 100 }).reattach(jobId, jobDir, rec);
    expect(job.ranks()[1]).toMatchObject({ status: 'Succeeded', exitCode: 0 });
    expect(job.ranks()[0]).toMatchObject({ status: 'Running', exitCode: null });
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0 });
    expect(rec.latest.get(0)).toMatchObject({ status: 'Succeeded', exitCode: 0 });
    const lines = logLines(jobDir, 0).map((l) => l.text);
    expect(lines).toHaveLength(12);
    expect(lines.length).toBeGreaterThan(linesAtDeath);
    expect(lines.at(-1)).toBe('tick 11');
  });

  it('a rank that failed while the engine was down fails the job with its real exit code', async () => {
    const script = 'import os, sys, time\nif os.environ["RANK"] == "1":\n    time.sleep(0.2)\n    sys.exit(4)\ntime.sleep(60)\n';
    const { jobId, jobDir, launch } = newJob('downfail', script, { numProcPerNode: 2 });
    (await createLocalProcessBackend({ pollMs: 100 }).start(launch, recorder())).detach();
    await waitFor('rank 1 exit record', () => fs.existsSync(path.join(jobDir, 'ranks', 'rank-1.exit.json')));

    const job = await createLocalProcessBackend({ pollMs: 100 }).reattach(jobId, jobDir, recorder());
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 4, failedRank: 1 });
    expect(job.ranks()[0]).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM' });
    expect(noProcesses(jobId, jobDir)).toBe(true);
  });

  it('a rank whose wrapper vanished without an exit record (reboot) is Lost, and its leftovers are killed', async () => {
    const { jobId, jobDir, launch } = newJob('lost', 'import time\nprint("up", flush=True)\ntime.sleep(60)\n', {});
    (await createLocalProcessBackend({ pollMs: 100 }).start(launch, recorder())).detach();
    await waitFor('rank running', () => logLines(jobDir, 0).length > 0);
    const pids = JSON.parse(fs.readFileSync(path.join(jobDir, 'ranks', 'rank-0.pid.json'), 'utf8')) as PidRecord;
    process.kill(pids.wrapperPid, 'SIGKILL'); // as if the machine had gone down under it
    await waitFor('wrapper gone', () => !processesMentioning(jobDir).length);

    const job = await createLocalProcessBackend({ pollMs: 100 }).reattach(jobId, jobDir, recorder());
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'Lost', exitCode: null, failedRank: 0 });
    expect(outcome.message).toMatch(/ended without recording an exit code/);
    expect(noProcesses(jobId, jobDir)).toBe(true); // the orphaned python went with it
  });

  it('survives a real kill -9 of the engine process that started it', async () => {
    const { jobId, jobDir, launch } = newJob('kill9', TICKER, { numProcPerNode: 2 });
    const launchFile = path.join(tempDir('kill9-launch'), 'launch.json');
    fs.writeFileSync(launchFile, JSON.stringify(launch));
    const engine = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'test-engine-driver.ts'), launchFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    engine.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('engine started the job', () => out.includes(`started ${jobId}`), 30_000);
    await waitFor('rank 0 printing', () => logLines(jobDir, 0).length >= 1);
    engine.kill('SIGKILL');
    await new Promise((r) => engine.once('exit', r));

    const job = await createLocalProcessBackend({ pollMs: 100 }).reattach(jobId, jobDir, recorder());
    expect(await job.done).toMatchObject({ status: 'Complete', exitCode: 0 });
    expect(logLines(jobDir, 0).map((l) => l.text).at(-1)).toBe('tick 11');
    expect(noProcesses(jobId, jobDir)).toBe(true);
  });

  it('reports a job directory without a record of its processes', async () => {
    const dir = tempDir('norecord');
    expect(await (await createLocalProcessBackend().reattach('lp-none', dir, recorder())).done).toMatchObject({ status: 'Failed', reason: 'Lost' });
  });
});

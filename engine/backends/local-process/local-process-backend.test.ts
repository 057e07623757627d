import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Trainer } from '../../jobs/trainjob/trainjob-schema.js';
import { createLocalProcessBackend } from './local-process-backend.js';
import { allCmdlines, hasPython, logLines, makeLaunch, processesMentioning, recorder, tempDir, waitFor } from './test-support.js';

const orphanReports: number[][] = [];
const backend = createLocalProcessBackend({ pollMs: 100, onOrphans: (_id, pids) => orphanReports.push(pids) });

function newJob(name: string, files: Record<string, string>, trainer: Trainer) {
  const workspace = tempDir(`${name}-ws`);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(workspace, file), text);
  const jobId = `lp-${name}-${randomBytes(4).toString('hex')}`;
  const jobDir = path.join(tempDir(`${name}-data`), 'jobs', jobId);
  return { jobId, jobDir, workspace, launch: makeLaunch(trainer, { jobId, workspace, jobDir }) };
}

/** Nothing whose environment or command line belongs to the job is left. */
function expectNoProcesses(jobId: string, jobDir: string) {
  expect(processesMentioning(jobId)).toEqual([]);
  expect(processesMentioning(jobDir)).toEqual([]);
}

const ENV_DUMP = 'import json, os\nprint(json.dumps({"cwd": os.getcwd(), "env": dict(os.environ)}))\n';

describe.runIf(hasPython())('local-process backend (real processes)', () => {
  it('gives every rank the env contract, the spec env over the base env, PATH kept, cwd = workspace', async () => {
    const { jobDir, workspace, launch } = newJob('env', { 'dump.py': ENV_DUMP }, {
      command: ['python3', 'dump.py'],
      numNodes: 2,
      numProcPerNode: 2,
      env: [{ name: 'FOO', value: 'bar' }, { name: 'HOME', value: '/spec/home' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    });
    const rec = recorder();
    const job = await backend.start(launch, rec);
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0, failedRank: null });
    const masterPort = new Set<string>();
    for (let rank = 0; rank < 4; rank++) {
      const out = logLines(jobDir, rank).filter((l) => l.stream === 'o');
      expect(out).toHaveLength(1);
      const { cwd, env } = JSON.parse(out[0]!.text) as { cwd: string; env: Record<string, string> };
      expect(fs.realpathSync(cwd)).toBe(fs.realpathSync(workspace));
      const node = Math.floor(rank / 2);
      expect(env).toMatchObject({
        RANK: String(rank), WORLD_SIZE: '4', LOCAL_RANK: String(rank % 2), LOCAL_WORLD_SIZE: '2',
        PET_NNODES: '2', PET_NPROC_PER_NODE: '2', PET_NODE_RANK: String(node), PET_MASTER_ADDR: '127.0.0.1',
        MASTER_ADDR: '127.0.0.1', FOO: 'bar', HOME: '/spec/home', PATH: process.env.PATH, PYTHONUNBUFFERED: '1',
      });
      expect(env.PET_MASTER_PORT).toBe(env.MASTER_PORT);
      expect(env).not.toHaveProperty('FROM_SECRET');
      masterPort.add(env.MASTER_PORT!);
      expect(job.ranks()[rank]).toMatchObject({ globalRank: rank, nodeRank: node, localRank: rank % 2, status: 'Succeeded', exitCode: 0, signal: null });
    }
    expect(masterPort.size).toBe(1);
    expect(rec.updates.some((u) => u.status === 'Running' || u.status === 'Pending')).toBe(true);
    expect(fs.readdirSync(path.join(jobDir, 'ranks')).filter((f) => f.endsWith('.spec.json'))).toEqual([]);
  });

  it('fails the job when a rank exits non-zero: first failing rank and its code, the others stopped, no orphans', async () => {
    const script = 'import os, sys, time\nif os.environ["RANK"] == "1":\n    time.sleep(0.3)\n    print("rank 1 gives up", flush=True)\n    sys.exit(3)\nprint("rank 0 waits", flush=True)\ntime.sleep(60)\n';
    const { jobId, jobDir, launch } = newJob('fail', { 'fail.py': script }, { command: ['python3', 'fail.py'], numProcPerNode: 2 });
    const started = Date.now();
    const job = await backend.start(launch, recorder());
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 1 });
    expect(outcome.message).toMatch(/rank 1 \(node 0, local rank 1\) exited with code 3 first/);
    expect(job.ranks()[0]).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM', exitCode: 143 });
    expect(job.ranks()[1]).toMatchObject({ status: 'Failed', exitCode: 3, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(logLines(jobDir, 1).map((l) => l.text)).toContain('rank 1 gives up');
    expectNoProcesses(jobId, jobDir);
  });

  it('cancels: SIGTERM to every rank group (grandchildren too), SIGKILL after the grace period', async () => {
    // Rank 0 ignores SIGTERM, so only the SIGKILL after graceMs ends it.
    const script = 'import os, signal, subprocess, time\nif os.environ["RANK"] == "0":\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\nsubprocess.Popen(["sleep", "300"])\nprint("ready", flush=True)\ntime.sleep(300)\n';
    const { jobId, jobDir, launch } = newJob('cancel', { 'sleepy.py': script }, { command: ['python3', 'sleepy.py'], numProcPerNode: 2 });
    const reportsBefore = orphanReports.length;
    const job = await backend.start(launch, recorder());
    await waitFor('both ranks ready', () => [0, 1].every((r) => logLines(jobDir, r).some((l) => l.text === 'ready')));
    const sleeps = processesMentioning(jobId).filter((p) => p.cmdline.startsWith('sleep'));
    expect(sleeps).toHaveLength(2);
    const t0 = Date.now();
    await job.cancel();
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Cancelled', reason: 'Cancelled', exitCode: null, failedRank: null });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900); // rank 0 needed the SIGKILL
    expect(job.ranks()[0]).toMatchObject({ status: 'Cancelled', signal: 'SIGKILL', exitCode: 137 });
    expect(job.ranks()[1]).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM', exitCode: 143 });
    expectNoProcesses(jobId, jobDir);
    expect(orphanReports.length).toBe(reportsBefore); // the process groups alone took everything down
  });

  it('kills what escaped its process group (a new session) when the job ends', async () => {
    const script = 'import subprocess\nsubprocess.Popen(["sleep", "300"], start_new_session=True)\nprint("spawned", flush=True)\n';
    const { jobId, jobDir, launch } = newJob('escape', { 'escape.py': script }, { command: ['python3', 'escape.py'] });
    const job = await backend.start(launch, recorder());
    expect(await job.done).toMatchObject({ status: 'Complete' });
    expect(orphanReports.at(-1)).toHaveLength(1);
    expectNoProcesses(jobId, jobDir);
  });

  it('keeps spec env values (secrets) out of every command line and deletes the spec files', async () => {
    const secret = `kfd-secret-${randomBytes(8).toString('hex')}`;
    const script = 'import os, time\nprint("secret length", len(os.environ["API_TOKEN"]), flush=True)\ntime.sleep(60)\n';
    const { jobId, jobDir, launch } = newJob('secret', { 'secret.py': script }, { command: ['python3', 'secret.py'], numProcPerNode: 2, env: [{ name: 'API_TOKEN', value: secret }] });
    const job = await backend.start(launch, recorder());
    await waitFor('ranks running', () => [0, 1].every((r) => logLines(jobDir, r).length > 0));
    expect(logLines(jobDir, 0)[0]!.text).toBe(`secret length ${secret.length}`);
    expect(processesMentioning(secret).length).toBeGreaterThanOrEqual(2); // in the ranks' environment…
    expect(allCmdlines().filter((c) => c.includes(secret))).toEqual([]); // …never in a command line
    const onDisk = fs.readdirSync(path.join(jobDir, 'ranks')).filter((f) => fs.readFileSync(path.join(jobDir, 'ranks', f), 'utf8').includes(secret));
    expect(onDisk).toEqual([]);
    await job.cancel();
    expectNoProcesses(jobId, jobDir);
  });

  it("runs the SDK's bash -c setup once per node before that node's ranks", async () => {
    const script = 'import os\nprint("setup done:", open("setup-" + os.environ["PET_NODE_RANK"] + ".txt").read().strip(), flush=True)\n';
    const setup = 'echo "node $PET_NODE_RANK" >> setup-$PET_NODE_RANK.txt; sleep 0.3\ntorchrun --nnodes=2 --nproc-per-node=2 check.py';
    const { jobDir, workspace, launch } = newJob('setup', { 'check.py': script }, { command: ['bash', '-c', setup] });
    const job = await backend.start(launch, recorder());
    expect(await job.done).toMatchObject({ status: 'Complete' });
    for (const node of [0, 1]) expect(fs.readFileSync(path.join(workspace, `setup-${node}.txt`), 'utf8')).toBe(`node ${node}\n`);
    for (const rank of [0, 1, 2, 3]) expect(logLines(jobDir, rank).map((l) => l.text)).toContain(`setup done: node ${Math.floor(rank / 2)}`);
  });

  it('a stop that begins while the supervisor is still starting (a loaded machine) reaches it: Cancelled, never Lost', async () => {
    // Stands in for a Node that is slow to start: the supervisor (argv: supervisor, jobDir) only
    // gets going once the stop has begun. Until then its command line is already the supervisor's,
    // and a SIGTERM would end it at once, as it would a real Node before the supervisor's handlers exist.
    const slowNode = path.join(tempDir('slow-node'), 'slow-node');
    const waitForStop = `#!/bin/sh\nwhile [ ! -e "$2/ranks/stop.json" ]; do sleep 0.05; done\nexec '${process.execPath}' "$@"\n`;
    const script = 'import time\ntime.sleep(60)\n';
    // A cancel right after the start, before the supervisor is up.
    fs.writeFileSync(slowNode, waitForStop, { mode: 0o755 });
    const cancelled = newJob('slowcancel', { 'job.py': script }, { command: ['python3', 'job.py'], numProcPerNode: 2 });
    const job2 = await createLocalProcessBackend({ pollMs: 100, nodePath: slowNode }).start(cancelled.launch, recorder());
    await job2.cancel();
    expect(await job2.done).toMatchObject({ status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled; 2 of 2 rank(s) were stopped.' });
    for (const rank of [0, 1]) expect(job2.ranks()[rank]).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM', exitCode: 143 });
    expectNoProcesses(cancelled.jobId, cancelled.jobDir);
  });

  it('reports a setup that fails, and a command that does not exist', async () => {
    const bad = newJob('badsetup', {}, { command: ['bash', '-c', 'exit 7\ntorchrun --nproc-per-node=2 x.py'] });
    const outcome = await (await backend.start(bad.launch, recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 7, failedRank: 0 });
    expect(outcome.message).toMatch(/setup commands of node 0/);

    const missing = newJob('missing', {}, { command: ['kfd-no-such-command', 'x'] });
    const job = await backend.start(missing.launch, recorder());
    expect(await job.done).toMatchObject({ status: 'Failed', exitCode: 127, failedRank: 0 });
    expect(logLines(missing.jobDir, 0).map((l) => l.text).join('\n')).toMatch(/cannot start kfd-no-such-command: .*ENOENT/);

    const empty = newJob('empty', {}, {});
    expect(await (await backend.start(empty.launch, recorder())).done).toMatchObject({ status: 'Failed', reason: 'StartFailed' });
  });
});

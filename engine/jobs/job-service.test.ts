/**
 * The job service through the engine's API, as the UI uses it: `createEngine` → `dispatch` +
 * `events`, real ranks of /usr/bin/python3 started by the local-process backend.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine, MethodInput } from '../api/contract.js';
import { hasPython, hasTorch, tempDir } from './test-support/parts.js';
import { processesOfJob } from './test-support/procs.js';
import { PYTHON } from './test-support/python.js';
import { lineKey, TestEngine, waitFor } from './test-support/test-engine.js';
import { copyTemplate, MISSING_MODULE_SCRIPT, RAISING_SCRIPT, SLEEPING_SCRIPT, trainJobYaml, writeWorkspace } from './test-support/workspaces.js';

let t: TestEngine;
beforeEach(() => {
  t = TestEngine.open(path.join(tempDir('data'), 'kfd'));
});
afterEach(async () => {
  await t.close();
});

const sorted = (lines: LogLine[]) => lines.map(lineKey).sort();
const texts = (lines: LogLine[]) => lines.map((l) => l.text);

describe.runIf(hasPython())('job service through the API (python-basic and friends)', () => {
  it('runs python-basic: Created → Running → Complete, ranks, logs (merged, per rank, tail), metrics, live events', async () => {
    const ws = copyTemplate('python-basic', tempDir('basic'));
    const started = await t.call('jobs.run', { path: ws });
    expect(started).toMatchObject({ name: 'python-basic', backend: 'local-process', numNodes: 1, numProcPerNode: 2, workspace: fs.realpathSync(ws) });
    const job = await t.waitForStatus(started.id);

    expect(job).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0, failureLog: [] });
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt!).toBeGreaterThanOrEqual(job.startedAt!);
    expect(job.ranks).toHaveLength(2);
    for (const r of job.ranks) expect(r).toMatchObject({ status: 'Succeeded', exitCode: 0, signal: null });
    expect(t.statuses(job.id)).toEqual(['Created', 'Running', 'Complete']);

    // Per rank: rank 0 prints its env, 20 loss lines and a summary; rank 1 its env and summary.
    const rank0 = (await t.allLogs(job.id, { rank: 0 })).lines;
    const rank1 = (await t.allLogs(job.id, { rank: 1 })).lines;
    expect(rank0).toHaveLength(22);
    expect(rank0.every((l) => l.rank === 0)).toBe(true);
    expect(texts(rank0).slice(1, 21)).toEqual(Array.from({ length: 20 }, (_, i) => expect.stringMatching(new RegExp(`^step=${i + 1} loss=`))));
    expect(texts(rank1)).toEqual([expect.stringMatching(/^rank=1 world_size=2 local_rank=1 node_rank=0 master=127\.0\.0\.1:\d+$/), expect.stringMatching(/^rank=1 done slope=0\.49\d intercept=2\.9\d\d$/)]);

    // Merged, paged forward 5 at a time: every line exactly once, in time order.
    const merged = await t.allLogs(job.id, { limit: 5 });
    expect(merged.pages).toBeGreaterThanOrEqual(5);
    expect(sorted(merged.lines)).toEqual(sorted([...rank0, ...rank1]));
    for (let i = 1; i < merged.lines.length; i++) expect(merged.lines[i]!.ts).toBeGreaterThanOrEqual(merged.lines[i - 1]!.ts);
    // Each rank's own order survives the merge.
    expect(merged.lines.filter((l) => l.rank === 0)).toEqual(rank0);

    // Tail: the last lines, then backwards from there with the cursor.
    const tail = await t.call('jobs.logs', { id: job.id, tail: 4 });
    expect(tail.lines).toEqual(merged.lines.slice(-4));
    const before = await t.call('jobs.logs', { id: job.id, cursor: tail.cursor, limit: 100 });
    expect(before).toMatchObject({ lines: merged.lines.slice(0, -4), done: true });
    const rankTail = await t.call('jobs.logs', { id: job.id, rank: 0, tail: 2 });
    expect(rankTail.lines).toEqual(rank0.slice(-2));
    expect(rankTail.done).toBe(false);

    // Metrics: rank 0's loss, steps 1..20, values from the deterministic fit.
    const { series } = await t.call('jobs.metrics', { id: job.id });
    const loss = series.find((s) => s.name === 'loss');
    expect(loss?.points.map(([step]) => step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(loss?.points[0]).toEqual([1, 60.0157]);
    expect(loss!.points.at(-1)![1]).toBeLessThan(1.3);
    expect(t.duplicateMetricRows(job.id)).toEqual([]);

    // Live: jobs.log events carried every line once; jobs.metrics events the loss points.
    expect(sorted(t.logEvents(job.id))).toEqual(sorted(merged.lines));
    const live = t.events.filter((e) => e.event === 'jobs.metrics').flatMap((e) => (e.payload as { points: { name: string; step: number }[] }).points);
    expect(live.filter((p) => p.name === 'loss').map((p) => p.step)).toEqual(loss!.points.map(([s]) => s));
  });

  it('failed jobs: the traceback in failureLog, the rank and exit code in message, the missing-module hint; list filters', async () => {
    const raising = await t.call('jobs.run', { path: writeWorkspace(tempDir('raise'), 'raises-in-rank-one', RAISING_SCRIPT) });
    const missing = await t.call('jobs.run', { path: writeWorkspace(tempDir('nomod'), 'needs-a-module', MISSING_MODULE_SCRIPT, { numProcPerNode: 1 }) });

    const failed = await t.waitForStatus(raising.id);
    expect(failed).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 1 });
    expect(failed.message).toMatch(/^rank 1 \(node 0, local rank 1\) exited with code 1 first; the other ranks were stopped\./);
    expect(failed.failureLog).toEqual(expect.arrayContaining(['Traceback (most recent call last):', 'ValueError: boom from rank 1']));
    expect(failed.failureLog).toContain('rank 1 about to fail');
    expect(failed.ranks[1]).toMatchObject({ status: 'Failed', exitCode: 1 });
    expect(failed.ranks[0]).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM' });
    expect(processesOfJob(failed.id)).toEqual([]);

    const noModule = await t.waitForStatus(missing.id);
    expect(noModule).toMatchObject({ status: 'Failed', exitCode: 1 });
    expect(noModule.failureLog.at(-1)).toBe("ModuleNotFoundError: No module named 'kfd_no_such_module_xyz'");
    expect(noModule.message).toContain(`The interpreter ${PYTHON} has no module "kfd_no_such_module_xyz"`);
    expect(noModule.message).toContain(`${PYTHON} -m pip install kfd_no_such_module_xyz`);

    const complete = await t.call('jobs.run', { path: copyTemplate('python-basic', tempDir('ok')) });
    await t.waitForStatus(complete.id);
    const ids = async (input: MethodInput<'jobs.list'>) => (await t.call('jobs.list', input)).jobs.map((j) => j.id);
    const all = await ids({});
    expect(all[0]).toBe(complete.id); // newest first (the two failed ones may share a millisecond)
    expect(new Set(all.slice(1))).toEqual(new Set([missing.id, raising.id]));
    expect(new Set(await ids({ status: ['Failed'] }))).toEqual(new Set([raising.id, missing.id]));
    expect(await ids({ status: ['Complete'] })).toEqual([complete.id]);
    expect(await ids({ status: ['Running', 'Cancelled'] })).toEqual([]);
    expect(await ids({ search: 'NEEDS-A' })).toEqual([missing.id]); // name, case-insensitive
    expect(await ids({ search: path.basename(raising.workspace) })).toEqual([raising.id]); // workspace
    expect(await ids({ search: complete.id.slice(0, 12) })).toEqual([complete.id]); // id
    expect(await ids({ search: 'needs', status: ['Complete'] })).toEqual([]);
    expect(await t.call('jobs.list', { limit: 1, offset: 1 })).toMatchObject({ total: 3, jobs: [{ id: all[1] }] });
  });

  it('cancel stops a sleeping job quickly and leaves no process with its KFD_JOB_ID', async () => {
    const job = await t.call('jobs.run', { path: writeWorkspace(tempDir('sleep'), 'sleeper', SLEEPING_SCRIPT) });
    await t.waitForStatus(job.id, ['Running']);
    await waitFor('both ranks sleeping', async () => (await t.call('jobs.logs', { id: job.id })).lines.length === 2);
    expect(processesOfJob(job.id).length).toBeGreaterThanOrEqual(2);

    const t0 = Date.now();
    const cancelled = await t.call('jobs.cancel', { id: job.id.slice(0, 11) });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(cancelled).toMatchObject({ id: job.id, status: 'Cancelled', reason: 'Cancelled' });
    expect(processesOfJob(job.id)).toEqual([]);
    const detail = await t.call('jobs.get', { id: job.id });
    for (const r of detail.ranks) expect(r).toMatchObject({ status: 'Cancelled', signal: 'SIGTERM' });
    expect(t.statuses(job.id)).toEqual(['Created', 'Running', 'Cancelled']);
    expect(await t.call('jobs.cancel', { id: job.id })).toMatchObject({ status: 'Cancelled' }); // a final job stays as it is
  });

  it('--nodes/--procs overrides are recorded in the spec and honoured; rerun repeats the same spec as a new job', async () => {
    const ws = copyTemplate('python-basic', tempDir('override'));
    const fileBefore = fs.readFileSync(path.join(ws, 'trainjob.yaml'), 'utf8');
    const first = await t.call('jobs.run', { path: ws, numNodes: 2, numProcPerNode: 1 });
    expect(first).toMatchObject({ numNodes: 2, numProcPerNode: 1 });
    expect(first.spec).toMatch(/numNodes: 2\n\s+numProcPerNode: 1\n/);
    expect(first.spec).toContain('# A Kubeflow Trainer TrainJob'); // comments kept
    expect(fs.readFileSync(path.join(ws, 'trainjob.yaml'), 'utf8')).toBe(fileBefore); // the file is not touched

    const done = await t.waitForStatus(first.id);
    expect(done.status).toBe('Complete');
    expect(done.ranks.map((r) => [r.globalRank, r.nodeRank, r.localRank])).toEqual([[0, 0, 0], [1, 1, 0]]);
    expect(texts((await t.allLogs(first.id, { rank: 1 })).lines)[0]).toMatch(/^rank=1 world_size=2 local_rank=0 node_rank=1 /);

    const again = await t.call('jobs.rerun', { id: first.id });
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ spec: first.spec, numNodes: 2, numProcPerNode: 1, workspace: first.workspace, name: 'python-basic', parentId: first.id });
    const rerun = await t.waitForStatus(again.id);
    expect(rerun).toMatchObject({ status: 'Complete', exitCode: 0 });
    expect(rerun.ranks.map((r) => r.nodeRank)).toEqual([0, 1]);
    expect((await t.call('jobs.list', {})).total).toBe(2);
    // The lineage says it was re-run (stored when the job was made, not guessed from where it ran).
    expect((await t.call('jobs.lineage', { id: first.id })).children.map((c) => [c.id, c.relation])).toEqual([[again.id, 'rerun']]);
  });

  it("an orchestrator's job (runOwned) carries its owner into history, the list filter and the job page", async () => {
    const ws = copyTemplate('python-basic', tempDir('owned'));
    const spec = fs.readFileSync(path.join(ws, 'trainjob.yaml'), 'utf8');
    const owner = { kind: 'experiment' as const, id: 'exp1', role: 'exp1-t1' };
    const trial = await t.engine.jobs.runOwned({ workspace: ws, spec, backend: 'local-process', owner });
    const mine = await t.call('jobs.run', { path: ws });
    expect(trial.owner).toEqual(owner);
    expect(mine.owner).toBeNull();
    expect((await t.waitForStatus(trial.id)).status).toBe('Complete');
    await t.waitForStatus(mine.id);
    // Filtered by owner: only the trial; unfiltered: both, each with its owner (or none).
    expect((await t.call('jobs.list', { owner: { kind: 'experiment', id: 'exp1' } })).jobs.map((j) => j.id)).toEqual([trial.id]);
    expect((await t.call('jobs.list', { owner: { kind: 'pipeline-run', id: 'exp1' } })).total).toBe(0);
    const all = (await t.call('jobs.list', {})).jobs;
    expect(all.find((j) => j.id === trial.id)?.owner).toEqual(owner);
    expect(all.find((j) => j.id === mine.id)?.owner).toBeNull();
    expect((await t.call('jobs.get', { id: trial.id })).owner).toEqual(owner);
    // A spec the orchestrator got wrong is refused naming the owner and the field; nothing is recorded.
    const broken = t.engine.jobs.runOwned({ workspace: ws, spec: spec.replace('numProcPerNode: 2', 'numProcPerNode: two'), backend: 'local-process', owner: { ...owner, role: 'exp1-t2' } });
    await expect(broken).rejects.toThrow(/experiment exp1 \(exp1-t2\) is not valid: spec\.trainer\.numProcPerNode/);
    expect((await t.call('jobs.list', {})).total).toBe(2);
  });

  it('refuses what cannot run, saying where and what to do', async () => {
    const bad = writeWorkspace(tempDir('badvalue'), 'bad', 'print(1)\n');
    fs.writeFileSync(path.join(bad, 'trainjob.yaml'), trainJobYaml('bad').replace('numProcPerNode: 2', 'numProcPerNode: two'));
    const value = await t.callError('jobs.run', { path: bad });
    expect(value.code).toBe('bad_request');
    expect(value.message).toContain(`${path.join(bad, 'trainjob.yaml')} is not a valid TrainJob`);
    expect(value.message).toMatch(/trainjob\.yaml:11:\d+ spec\.trainer\.numProcPerNode: .*"two"/);

    const syntax = writeWorkspace(tempDir('badsyntax'), 'bad', 'print(1)\n');
    fs.writeFileSync(path.join(syntax, 'trainjob.yaml'), trainJobYaml('bad').replace('command: ["python3", "train.py"]', 'command: ["python3", "train.py"'));
    const yamlError = await t.callError('jobs.run', { path: syntax });
    expect(yamlError.code).toBe('bad_request');
    expect(yamlError.message).toMatch(/trainjob\.yaml:\d+:\d+ YAML syntax error/);

    const empty = tempDir('nojobfile');
    const missing = await t.callError('jobs.run', { path: empty });
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain(`${empty} has no trainjob.yaml. Create one`);
    expect((await t.callError('jobs.run', { path: path.join(empty, 'nope') })).code).toBe('not_found');

    // Every backend is in this build. One that cannot run here says why before the path is read
    // (kubernetes without any kubeconfig context or local cluster); otherwise the path is not found.
    for (const backend of ['container', 'kubernetes'] as const) {
      const err = await t.callError('jobs.run', { path: path.join(empty, 'nope'), backend });
      expect(['unavailable', 'not_found']).toContain(err.code);
      if (err.code === 'unavailable' && backend === 'kubernetes') expect(err.message).toMatch(/^No Kubernetes target: there is no kubeconfig context/);
    }
    expect((await t.callError('jobs.get', { id: 'no-such-job' })).code).toBe('not_found');
    expect((await t.call('jobs.list', {})).total).toBe(0); // nothing was recorded for any of these
  });
});

describe.runIf(hasTorch())('job service: PyTorch DDP (templates/pytorch-ddp)', () => {
  it('1×2 DDP completes and every rank prints the same param_checksum', async () => {
    const job = await t.call('jobs.run', { path: copyTemplate('pytorch-ddp', tempDir('ddp')) });
    const done = await t.waitForStatus(job.id, undefined, 90_000);
    expect(done, done.failureLog.join('\n')).toMatchObject({ status: 'Complete', exitCode: 0 });
    const checksums: string[] = [];
    for (const rank of [0, 1]) {
      const line = texts((await t.allLogs(job.id, { rank })).lines).find((l) => l.includes('param_checksum='));
      expect(line).toMatch(new RegExp(`^rank=${rank} param_checksum=-?\\d+\\.\\d{6}$`));
      checksums.push(line!.split('=').at(-1)!);
    }
    expect(checksums[0]).toBe(checksums[1]);
    const { series } = await t.call('jobs.metrics', { id: job.id });
    expect(series.find((s) => s.name === 'val_acc')?.points.at(-1)?.[1]).toBeGreaterThan(0.8);
  }, 120_000);
});

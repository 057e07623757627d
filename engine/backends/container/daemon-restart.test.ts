// The engine itself goes away mid-job. A private dockerd (test-support/isolated-dockerd.ts) is
// restarted or stopped, so tests on the shared one are not disturbed. The job must end Failed
// with that reason; nothing may hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportMissingPart } from '../../test-support/real-parts.js';
import { createContainerBackend } from './container-backend.js';
import { IsolatedDockerd, isolatedDockerdReason } from './test-support/isolated-dockerd.js';
import { jobFolders, logLines, makeLaunch, recorder, requireDocker, TEST_IMAGE, testDocker, tickerScript, waitFor } from './test-support/docker-parts.js';

function canRun(): boolean {
  const reason = isolatedDockerdReason();
  return reason ? reportMissingPart('a private dockerd', reason) : true;
}

const ready = (await requireDocker()) && canRun();

describe.runIf(ready)('container backend: the engine restarts or stops mid-job (private dockerd)', () => {
  let daemon: IsolatedDockerd;
  const backendOn = (engineDownTimeoutMs: number) =>
    createContainerBackend({ settings: () => ({ theme: 'system', pythonPath: '', containerSocket: daemon.socket }), engineDownTimeoutMs });

  beforeAll(async () => {
    const t0 = Date.now();
    daemon = await IsolatedDockerd.create();
    await daemon.loadFrom(testDocker(), TEST_IMAGE);
    console.log(`private dockerd up with ${TEST_IMAGE} loaded in ${Date.now() - t0} ms`);
  }, 120_000);
  afterAll(async () => {
    await daemon?.destroy();
  }, 120_000);

  it('a restart mid-job stops the containers: the job ends Failed with reason EngineRestarted', async () => {
    const f = jobFolders('restart', tickerScript(600, 50));
    const rec = recorder();
    const job = await backendOn(60_000).start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 1, numProcPerNode: 2 }, f), rec);
    await waitFor('lines from both ranks', () => logLines(f.jobDir, 0).length > 4 && logLines(f.jobDir, 1).length > 4);
    const t0 = Date.now();
    await daemon.restart();
    const outcome = await job.done;
    console.log(`engine restart → job ended in ${Date.now() - t0} ms`);
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'EngineRestarted' });
    expect(outcome.message).toMatch(/^The container engine \(Docker .* at .*docker\.sock\) stopped or restarted while the job ran, which stopped its containers: rank \d .*/);
    expect([...rec.latest.values()].every((r) => r.status === 'Failed' || r.status === 'Cancelled')).toBe(true);
    // Lines written before the restart are all there, once.
    const lines = logLines(f.jobDir, 0).filter((l) => l.text.startsWith('line ')).map((l) => l.text);
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => `line 0 ${i}`));
    expect(await daemon.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`org.kubeflow.desktop.job-id=${f.jobId}`] }) })).toEqual([]);
  }, 120_000);

  it('an engine that stops for good: the job ends Failed with that reason after a bounded wait, and a cancel meanwhile does not hang', async () => {
    const f = jobFolders('gone', tickerScript(600, 50));
    const job = await backendOn(3000).start(makeLaunch({ command: ['python3', 'train.py'] }, f), recorder());
    await waitFor('a line', () => logLines(f.jobDir, 0).length > 2);
    const t0 = Date.now();
    await daemon.stop();
    const cancelled = job.cancel(); // asked while the engine is gone: must still settle
    const outcome = await job.done;
    await cancelled;
    console.log(`engine stopped → job ended in ${Date.now() - t0} ms`);
    // The engine stops the containers on its way down, so their end is known; they cannot be removed.
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'EngineRestarted' });
    expect(outcome.message).toMatch(/stopped or restarted while the job ran.*Start the engine again, then remove what is left: docker rm -f kfd-.*-node-0; docker network rm kfd-/);
    await daemon.start(); // for the next test
  }, 120_000);

  it('an engine that crashes and stays down while the containers run: Failed (EngineUnavailable), the job state unknown', async () => {
    const f = jobFolders('crash', tickerScript(600, 50));
    const job = await backendOn(2000).start(makeLaunch({ command: ['python3', 'train.py'] }, f), recorder());
    await waitFor('a line', () => logLines(f.jobDir, 0).length > 2);
    const t0 = Date.now();
    await daemon.kill();
    const outcome = await job.done;
    console.log(`engine crash → job ended in ${Date.now() - t0} ms`);
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'EngineUnavailable', exitCode: null });
    expect(outcome.message).toContain('stopped answering and did not come back within 2 s');
    expect(outcome.message).toContain(`docker rm -f kfd-${f.jobId}-node-0`);
    await daemon.start(); // without live-restore it stops what the crash left running
  }, 120_000);
});

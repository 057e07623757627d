// An app restart with container jobs: the app is killed (SIGKILL) or detaches while containers
// run; a new backend re-attaches from the job's record and every log line arrives exactly once.
// Containers of jobs nobody will re-attach are swept.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContainerBackend } from './container-backend.js';
import { jobFolders, leftovers, logLines, makeLaunch, recorder, requireDocker, testDocker, tickerScript, waitFor } from './test-support/docker-parts.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const docker = testDocker();

/** Every rank's `line <rank> <i>` lines, in file order, are exactly 0..count-1. */
function expectComplete(jobDir: string, ranks: number, count: number): void {
  for (let rank = 0; rank < ranks; rank++) {
    const lines = logLines(jobDir, rank).filter((l) => l.text.startsWith('line '));
    expect(lines.map((l) => l.text)).toEqual(Array.from({ length: count }, (_, i) => `line ${rank} ${i}`));
  }
}

function runDriver(launchFile: string): Promise<{ kill: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'test-support/start-and-hang.ts'), launchFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`driver exited ${code} before starting the job`)));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve({ kill: () => child.kill('SIGKILL') });
    });
  });
}

describe.runIf(await requireDocker())('container backend: re-attach after an app restart (real Docker)', () => {
  it('the app is killed with SIGKILL mid-job: a new backend re-attaches, and no line is lost or doubled', async () => {
    const f = jobFolders('kill9', tickerScript(60, 50));
    const launchFile = path.join(path.dirname(f.jobDir), 'launch.json');
    fs.mkdirSync(path.dirname(launchFile), { recursive: true });
    fs.writeFileSync(launchFile, JSON.stringify(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 1 }, f)));
    const driver = await runDriver(launchFile);
    await waitFor('some lines copied by the first app', () => logLines(f.jobDir, 0).length > 10);
    driver.kill();
    await new Promise((r) => setTimeout(r, 1000)); // the containers keep writing while no app runs
    const rec = recorder();
    const job = await createContainerBackend().reattach(f.jobId, f.jobDir, rec);
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Complete', exitCode: 0 });
    expectComplete(f.jobDir, 2, 60);
    expect([...rec.latest.values()].map((r) => r.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('the job ends while no app runs: the re-attach reads the rest, takes the exit codes, and removes the containers', async () => {
    const f = jobFolders('ended', tickerScript(20, 20, 1, 4));
    const first = await createContainerBackend().start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 1, numProcPerNode: 2 }, f), recorder());
    first.detach();
    await waitFor('the containers to exit', async () => (await docker.listContainers({ filters: JSON.stringify({ label: [`org.kubeflow.desktop.job-id=${f.jobId}`], status: ['exited'] }) })).length === 1);
    const job = await createContainerBackend().reattach(f.jobId, f.jobDir, recorder());
    expect(await job.done).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 4, failedRank: 1 });
    expectComplete(f.jobDir, 2, 20);
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('re-attached in the middle of a cancel: the stop is carried on', async () => {
    const f = jobFolders('midcancel', 'import time\nprint("up", flush=True)\ntime.sleep(60)\n');
    const first = await createContainerBackend().start(makeLaunch({ command: ['python3', 'train.py'] }, f), recorder());
    await waitFor('the rank running', () => logLines(f.jobDir, 0).length);
    // What cancel() writes first, then the app dies before stopping anything.
    fs.writeFileSync(path.join(f.jobDir, 'container', 'stop.json'), JSON.stringify({ reason: 'cancel', at: Date.now(), rank: null }));
    first.detach();
    const job = await createContainerBackend().reattach(f.jobId, f.jobDir, recorder());
    expect(await job.done).toMatchObject({ status: 'Cancelled' });
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('orphans: containers and networks of jobs no engine will re-attach are removed; active ones are kept', async () => {
    const orphan = jobFolders('orphan', 'import time\ntime.sleep(60)\n');
    const kept = jobFolders('kept', 'import time\ntime.sleep(60)\n');
    // One data dir for both jobs, as in the app.
    const jobsDir = path.dirname(orphan.jobDir);
    kept.jobDir = path.join(jobsDir, kept.jobId);
    const a = await createContainerBackend().start(makeLaunch({ command: ['python3', 'train.py'] }, orphan), recorder());
    const b = await createContainerBackend().start(makeLaunch({ command: ['python3', 'train.py'] }, kept), recorder());
    a.detach();
    b.detach();
    const backend = createContainerBackend({ jobsDir });
    const removed = await backend.sweepOrphans(async (id) => id === kept.jobId);
    expect(removed).toEqual({ containers: [`kfd-${orphan.jobId}-node-0`], networks: [`kfd-${orphan.jobId}`] });
    expect(await leftovers(docker, orphan.jobId)).toEqual({ containers: [], networks: [] });
    expect((await leftovers(docker, kept.jobId)).containers).toHaveLength(1);
    // Another data dir's sweep never touches these.
    expect(await createContainerBackend({ jobsDir: '/nonexistent/jobs' }).sweepOrphans(async () => false)).toEqual({ containers: [], networks: [] });
    const job = await backend.reattach(kept.jobId, kept.jobDir, recorder());
    await job.cancel();
    expect(await job.done).toMatchObject({ status: 'Cancelled' });
  });
});

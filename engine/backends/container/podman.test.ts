// The container backend and Doctor on a real Podman engine (a rootful `podman system service`,
// started by .ci/run next to dockerd), picked with the containerSocket setting while Docker
// answers too. Podman's API differs from Docker's where it matters here: its log timestamps are
// whole seconds (before Podman 6), it reports no OOM kill of a rank, and it names images itself.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../api/contract.js';
import { run as doctorCheck } from '../../doctor/checks/container-engine.js';
import { createContainerBackend } from './container-backend.js';
import { connectEngine } from './engine-connection.js';
import { readManifest } from './job-record.js';
import { jobFolders, leftovers, logLines, makeLaunch, PODMAN_SOCKET, recorder, RENDEZVOUS, requirePodman, testDocker, testPodman, waitFor } from './test-support/docker-parts.js';

const podman = testPodman();
const docker = testDocker();
const onPodman: Settings = { theme: 'system', pythonPath: '', containerSocket: PODMAN_SOCKET };
// Without DOCKER_HOST: the setting alone must pick Podman.
const env = { ...process.env, DOCKER_HOST: undefined };
const backend = createContainerBackend({ env, settings: () => onPodman });

describe.runIf(await requirePodman())('container backend on Podman (real engine)', () => {
  it('Doctor names the engine that answered and its version, lists the other one, and the setting picks Podman', async () => {
    const both = { KFD_CONTAINER_SOCKETS: `/var/run/docker.sock:${PODMAN_SOCKET}` };
    const discovered = await doctorCheck({ env: both, settings: { ...onPodman, containerSocket: '' } });
    expect(discovered.status).toBe('ok');
    expect(discovered.detail).toMatch(new RegExp(`^Docker \\S+ \\(API [\\d.]+\\) at /var/run/docker\\.sock\\. Also answering: Podman \\d+\\.\\d+\\.\\d+ at ${PODMAN_SOCKET} \\(pick one with the containerSocket setting\\)\\.$`));
    const chosen = await doctorCheck({ env: both, settings: onPodman });
    expect(chosen.detail).toMatch(new RegExp(`^Podman \\d+\\.\\d+\\.\\d+ \\(API [\\d.]+\\) at ${PODMAN_SOCKET} \\(containerSocket setting\\)\\.`));
    expect(await backend.target()).toMatch(new RegExp(`^Podman \\d+\\.\\d+\\.\\d+ at ${PODMAN_SOCKET}$`));
    // Rootful: the ranks run as the workspace owner (a rootless engine would keep the image's user).
    expect(await (await connectEngine(env, onPodman)).rootless()).toBe(false);
  });

  it('one node × 2 ranks runs on Podman, not Docker: Complete, per-rank logs, everything removed', async () => {
    const f = jobFolders('podman-single', 'import os\nprint(f"rank {os.environ[\'RANK\']} on {os.uname().nodename}", flush=True)\n');
    const rec = recorder();
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 1, numProcPerNode: 2 }, f), rec);
    expect(readManifest(f.jobDir)?.engine).toMatch(/^Podman /);
    expect(await job.done).toMatchObject({ status: 'Complete', exitCode: 0 });
    for (const rank of [0, 1]) expect(logLines(f.jobDir, rank).map((l) => l.text)).toEqual([`rank ${rank} on kfd-${f.jobId}-node-0`]);
    expect([...rec.latest.values()].map((r) => r.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(await leftovers(podman, f.jobId)).toEqual({ containers: [], networks: [] });
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('2 nodes × 1 rank: rendezvous at node 0 by its DNS name on the job network', async () => {
    const f = jobFolders('podman-multi', RENDEZVOUS);
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 1 }, f), recorder());
    await waitFor('both containers on Podman', async () => (await leftovers(podman, f.jobId)).containers.length === 2 || (await job.done, true));
    expect(await job.done).toMatchObject({ status: 'Complete' });
    const master = `kfd-${f.jobId}-node-0`;
    for (const rank of [0, 1]) {
      const line = logLines(f.jobDir, rank).find((l) => l.text.startsWith('rendezvous'))?.text ?? '';
      expect(line).toContain(`rank=${rank} master=${master}:29500 node_rank=${rank}`);
      expect(JSON.parse(line.slice(line.indexOf('peers=') + 6))).toEqual([[0, master], [1, `kfd-${f.jobId}-node-1`]]);
    }
    expect(await leftovers(podman, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('a failing rank fails the job and stops the other node; cancel is Cancelled (whole-second log times)', async () => {
    const script = 'import os, sys, time\nif os.environ["RANK"] == "1":\n    time.sleep(0.5); sys.exit(3)\nprint("waiting", flush=True)\ntime.sleep(60)\n';
    const f = jobFolders('podman-fail', script);
    const rec = recorder();
    const failed = await (await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 1 }, f), rec)).done;
    expect(failed).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 1 });
    expect(rec.latest.get(0)?.status).toBe('Cancelled');

    const c = jobFolders('podman-cancel', 'import time\nprint("running", flush=True)\ntime.sleep(60)\n');
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'] }, c), recorder());
    await waitFor('the rank running', () => logLines(c.jobDir, 0).length);
    await job.cancel();
    expect(await job.done).toMatchObject({ status: 'Cancelled', reason: 'Cancelled' });
    expect(await leftovers(podman, c.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('a rank killed for using more than its memory limit is named as such (Podman does not report it; the launcher does)', async () => {
    const f = jobFolders('podman-oom', 'blocks = [bytearray(64 * 2**20) for _ in range(16)]\n');
    const trainer = { command: ['python3', 'train.py'], resourcesPerNode: { limits: { memory: '128Mi' } } };
    const outcome = await (await backend.start(makeLaunch(trainer, f), recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', exitCode: 137, failedRank: 0 });
    expect(outcome.message).toContain('was killed because its container ran out of memory (limit 128Mi)');
  });
});

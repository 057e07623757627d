// The container backend against a real Docker engine and the local test image: one node, a
// multi-node rendezvous across containers, failure, cancel, limits, and a missing image.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContainerBackend } from './container-backend.js';
import { LABEL } from './node-plan.js';
import { jobFolders, leftovers, logLines, makeLaunch, recorder, RENDEZVOUS, requireDocker, TEST_IMAGE, testDocker, waitFor } from './test-support/docker-parts.js';

const docker = testDocker();
const backend = createContainerBackend();

describe.runIf(await requireDocker())('container backend (real Docker)', () => {
  it('one node × 2 ranks: Complete, each rank its own log with stdout and stderr apart, everything removed', async () => {
    const script = 'import os, sys\nr = os.environ["RANK"]\nprint(f"out {r} cwd={os.getcwd()}", flush=True)\nprint(f"err {r}", file=sys.stderr, flush=True)\n';
    const f = jobFolders('single', script);
    const rec = recorder();
    const started = Date.now();
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 1, numProcPerNode: 2 }, f), rec);
    const outcome = await job.done;
    console.log(`1×2 container job: ${Date.now() - started} ms start → done`);
    expect(outcome).toMatchObject({ status: 'Complete', reason: 'Succeeded', exitCode: 0 });
    for (const rank of [0, 1]) {
      const lines = logLines(f.jobDir, rank).map((l) => `${l.stream} ${l.text}`);
      expect(lines.sort()).toEqual([`e err ${rank}`, `o out ${rank} cwd=/workspace`]);
    }
    expect([...rec.latest.values()].map((r) => r.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(rec.updates.some((u) => u.status === 'Running')).toBe(true);
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('2 nodes × 2 ranks: rendezvous across containers at node 0 by its DNS name on the job network', async () => {
    const f = jobFolders('multi', RENDEZVOUS);
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 2 }, f), recorder());
    const outcome = await job.done;
    expect(outcome).toMatchObject({ status: 'Complete' });
    const master = `kfd-${f.jobId}-node-0`;
    for (const rank of [0, 1, 2, 3]) {
      const line = logLines(f.jobDir, rank).find((l) => l.text.startsWith('rendezvous'))?.text ?? '';
      expect(line).toContain(`rank=${rank} master=${master}:29500 node_rank=${Math.floor(rank / 2)} local_rank=${rank % 2}`);
      const peers = JSON.parse(line.slice(line.indexOf('peers=') + 6)) as [number, string][];
      expect(peers).toEqual([[0, master], [1, master], [2, `kfd-${f.jobId}-node-1`], [3, `kfd-${f.jobId}-node-1`]]);
    }
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('a failing rank fails the job, names its node and container, and stops every other rank', async () => {
    const script = 'import os, sys, time\nif os.environ["RANK"] == "2":\n    time.sleep(0.5); print("rank 2 fails", flush=True); sys.exit(3)\ntime.sleep(60)\n';
    const f = jobFolders('fail', script);
    const rec = recorder();
    const started = Date.now();
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 2 }, f), rec);
    const outcome = await job.done;
    expect(Date.now() - started).toBeLessThan(15_000); // stopped, not left to sleep 60 s
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 2 });
    expect(outcome.message).toContain(`rank 2 (node 1, local rank 0, container kfd-${f.jobId}-node-1) exited with code 3 first`);
    expect(rec.latest.get(2)).toMatchObject({ status: 'Failed', exitCode: 3 });
    for (const r of [0, 1, 3]) expect(rec.latest.get(r)).toMatchObject({ status: 'Cancelled', exitCode: 143, signal: 'SIGTERM' });
    expect(logLines(f.jobDir, 2).map((l) => l.text)).toContain('rank 2 fails');
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('cancel stops and removes every container and the network', async () => {
    const f = jobFolders('cancel', 'import time\nprint("running", flush=True)\ntime.sleep(60)\n');
    const rec = recorder();
    const job = await backend.start(makeLaunch({ command: ['python3', 'train.py'], numNodes: 2, numProcPerNode: 1 }, f), rec);
    await waitFor('both ranks running', () => logLines(f.jobDir, 0).length && logLines(f.jobDir, 1).length);
    expect((await leftovers(docker, f.jobId)).containers).toHaveLength(2);
    const t0 = Date.now();
    await job.cancel();
    const outcome = await job.done;
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(outcome).toMatchObject({ status: 'Cancelled', reason: 'Cancelled' });
    expect([...rec.latest.values()].map((r) => r.status)).toEqual(['Cancelled', 'Cancelled']);
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('resourcesPerNode become CPU, memory and /dev/shm limits; labels identify job and node', async () => {
    const script = 'import os, time\nst = os.statvfs("/dev/shm")\nprint(f"shm={st.f_blocks * st.f_frsize}", flush=True)\ntime.sleep(30)\n';
    const f = jobFolders('limits', script);
    const trainer = { command: ['python3', 'train.py'], numNodes: 1, numProcPerNode: 1, resourcesPerNode: { limits: { cpu: '1500m', memory: '512Mi' }, requests: { cpu: '1' } } };
    const job = await backend.start(makeLaunch(trainer, f, { name: 'limits-job' }), recorder());
    await waitFor('the shm line', () => logLines(f.jobDir, 0).length);
    const info = await docker.getContainer(`kfd-${f.jobId}-node-0`).inspect();
    expect(info.HostConfig).toMatchObject({ NanoCpus: 1_500_000_000, Memory: 512 * 2 ** 20, CpuShares: 1024, ShmSize: 256 * 2 ** 20 });
    expect(info.Config.Labels).toMatchObject({ [LABEL.jobId]: f.jobId, [LABEL.nodeRank]: '0', [LABEL.jobName]: 'limits-job' });
    expect(info.Config.WorkingDir).toBe('/workspace');
    expect(logLines(f.jobDir, 0)[0]?.text).toBe(`shm=${256 * 2 ** 20}`);
    await job.cancel();
  });

  it('a rank that runs out of the memory limit: the job says so and which limit to raise', async () => {
    const f = jobFolders('oom', 'import time\nprint("allocating", flush=True)\nblocks = [bytearray(64 * 2**20) for _ in range(16)]\ntime.sleep(5)\n');
    const trainer = { command: ['python3', 'train.py'], resourcesPerNode: { limits: { memory: '128Mi' } } };
    const outcome = await (await backend.start(makeLaunch(trainer, f), recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 137, failedRank: 0 });
    expect(outcome.message).toContain('was killed because its container ran out of memory (limit 128Mi); raise spec.trainer.resourcesPerNode.limits.memory');
  });

  it('an image that is neither here nor pullable fails the start with the image name and how to load it', async () => {
    const f = jobFolders('noimage', 'print(1)\n');
    const launch = makeLaunch({ command: ['python3', 'train.py'], image: 'kfd-test/not-built:nowhere' }, f);
    const outcome = await (await backend.start(launch, recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'StartFailed' });
    expect(outcome.message).toContain('Image "kfd-test/not-built:nowhere" is not on this machine and could not be pulled');
    expect(outcome.message).toContain('kfd images load image.tar.gz');
    expect(await leftovers(docker, f.jobId)).toEqual({ containers: [], networks: [] });
  });

  it('the SDK form, bash -c "<setup>\\ntorchrun …": setup once per node (in local rank 0\'s log), then the ranks; a failing setup fails the job', async () => {
    const f = jobFolders('setup', 'import os\nprint("rank", os.environ["RANK"], "sees", open("/tmp/prepared").read().strip(), flush=True)\n');
    const ok = await (await backend.start(makeLaunch({ command: ['bash', '-c', 'echo "setting up node $PET_NODE_RANK" > /tmp/prepared; cat /tmp/prepared\ntorchrun --nproc-per-node=2 train.py'] }, f), recorder())).done;
    expect(ok).toMatchObject({ status: 'Complete' });
    expect(logLines(f.jobDir, 0).map((l) => l.text)).toEqual(['setting up node 0', 'rank 0 sees setting up node 0']);
    expect(logLines(f.jobDir, 1).map((l) => l.text)).toEqual(['rank 1 sees setting up node 0']);
    const g = jobFolders('badsetup', 'print("never")\n');
    const failed = await (await backend.start(makeLaunch({ command: ['bash', '-c', 'echo "no luck" >&2; exit 4\ntorchrun --nproc-per-node=2 train.py'] }, g), recorder())).done;
    expect(failed).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 4, failedRank: 0 });
    expect(failed.message).toBe(`the setup commands of node 0 (container kfd-${g.jobId}-node-0) exited with code 4; the other ranks were stopped.`);
    expect(logLines(g.jobDir, 0).map((l) => `${l.stream} ${l.text}`)).toEqual(['e no luck']);
  });

  it('a command that is not in the image: the rank fails with 127 and the shell says why in its log', async () => {
    const f = jobFolders('nocmd', '');
    const outcome = await (await backend.start(makeLaunch({ command: ['no-such-trainer', '--x'] }, f), recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 127, failedRank: 0 });
    expect(logLines(f.jobDir, 0).map((l) => `${l.stream} ${l.text}`).join('\n')).toMatch(/^e .*no-such-trainer: not found/m);
  });

  it('files the ranks write into /workspace belong to the workspace owner (not root), with a writable HOME', async () => {
    const script = 'import os\nopen("out.txt", "w").write("x")\nos.makedirs(os.path.expanduser("~/.cache/kfd"))\nprint(f"uid={os.getuid()} gid={os.getgid()} home={os.environ[\'HOME\']}", flush=True)\n';
    const f = jobFolders('owner', script);
    // As root (CI), the workspace is handed to another user first: the case a rootful engine gets wrong.
    if (process.getuid?.() === 0) fs.chownSync(f.workspace, 1234, 1234);
    const ws = fs.statSync(f.workspace);
    expect(await (await backend.start(makeLaunch({ command: ['python3', 'train.py'] }, f), recorder())).done).toMatchObject({ status: 'Complete' });
    const out = fs.statSync(path.join(f.workspace, 'out.txt'));
    expect([out.uid, out.gid]).toEqual([ws.uid, ws.gid]);
    if (ws.uid !== 0) expect(logLines(f.jobDir, 0).map((l) => l.text)).toEqual([`uid=${ws.uid} gid=${ws.gid} home=/tmp/kfd-home`]);
  });

  it('an image that names its USER runs as that user', async () => {
    const probe = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['true'] });
    const tag = `user-${Date.now().toString(36)}`;
    await probe.commit({ repo: 'kfd-test/python-nobody', tag, changes: 'USER 65534' });
    await probe.remove();
    try {
      const f = jobFolders('imageuser', 'import os\nprint(f"uid={os.getuid()}", flush=True)\n');
      fs.chmodSync(f.workspace, 0o755); // that user must be able to read the workspace
      const trainer = { command: ['python3', 'train.py'], image: `kfd-test/python-nobody:${tag}` };
      expect(await (await backend.start(makeLaunch(trainer, f), recorder())).done).toMatchObject({ status: 'Complete' });
      expect(logLines(f.jobDir, 0).map((l) => l.text)).toEqual(['uid=65534']);
    } finally {
      await docker.getImage(`kfd-test/python-nobody:${tag}`).remove({ force: true });
    }
  });
});

/**
 * Helpers for the container backend's integration tests against a real Docker engine. Locally a
 * missing engine or test image skips with a printed reason; under CI=true it is a failing test
 * (DESIGN.md, "Tests"). Images come from scripts/build-test-images.sh (no registry here).
 */
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { RankInfo } from '../../../api/schemas/jobs.js';
import { parseRecord } from '../../../jobs/logs/log-format.js';
import type { Trainer, TrainJob } from '../../../jobs/trainjob/trainjob-schema.js';
import type { BackendCallbacks, JobLaunch } from '../../backend.js';
import { LABEL } from '../node-plan.js';
import { makeTempDir, reportMissingPart } from '../../../test-support/real-parts.js';

export const TEST_IMAGE = 'kfd-test/python:bookworm';
export const TORCH_IMAGE = 'kfd-test/torch:bookworm';
export const BUILD_HINT = 'bash scripts/build-test-images.sh';

/** The engine tests use: DOCKER_HOST or the standard socket. */
export function testDocker(): Docker {
  return new Docker(process.env.DOCKER_HOST ? undefined : { socketPath: '/var/run/docker.sock' });
}

async function imageReason(docker: Docker, image: string, engine = 'Docker', start = 'start dockerd', load = `build it with \`${BUILD_HINT}\``): Promise<string | null> {
  try {
    await docker.ping();
  } catch (err) {
    return `no ${engine} engine answers (${(err as Error).message}); ${start}`;
  }
  try {
    await docker.getImage(image).inspect();
    return null;
  } catch {
    return `the test image ${image} is missing on ${engine}; ${load}`;
  }
}

/** True when Docker and the test image are here (use with top-level await + describe.runIf). */
export async function requireDocker(what = 'Docker + kfd-test/python'): Promise<boolean> {
  const reason = await imageReason(testDocker(), TEST_IMAGE);
  return reason ? reportMissingPart(what, reason) : true;
}

/** Where the Podman tests find Podman: KFD_TEST_PODMAN_SOCKET, else the rootful service's socket. */
export const PODMAN_SOCKET = process.env.KFD_TEST_PODMAN_SOCKET ?? '/run/podman/podman.sock';

export function testPodman(): Docker {
  return new Docker({ socketPath: PODMAN_SOCKET, host: undefined });
}

/** True when a Podman API service answers at PODMAN_SOCKET and has the test image (.ci/run starts it). */
export async function requirePodman(): Promise<boolean> {
  const start = `start it: podman system service --time=0 unix://${PODMAN_SOCKET} & (see .ci/run)`;
  const load = `copy it from Docker: docker save ${TEST_IMAGE} | podman load`;
  const reason = await imageReason(testPodman(), TEST_IMAGE, 'Podman', start, load);
  return reason ? reportMissingPart('Podman + kfd-test/python', reason) : true;
}

/** The torch image is optional (it takes minutes to build): missing, it skips even under CI. */
/** The torch image is built by .ci/run, so under CI its absence fails like any missing real part. */
export async function hasTorchImage(): Promise<boolean> {
  const reason = await imageReason(testDocker(), TORCH_IMAGE);
  return reason ? reportMissingPart('Docker + kfd-test/torch (the 2-container DDP test)', `${reason.replace('python', 'torch')} (${BUILD_HINT} torch)`) : true;
}

export const tempDir = (prefix: string): string => makeTempDir('ct', prefix);

let seq = 0;
/** A job id that is unique across parallel test files and valid in container names. */
export const testJobId = (name: string) => `t${Date.now().toString(36)}${(seq++).toString(36)}-${name}`;

export function makeLaunch(trainer: Trainer, over: Partial<JobLaunch> & { jobId: string; workspace: string; jobDir: string }, meta: Partial<TrainJob['metadata']> = {}): JobLaunch {
  const job: TrainJob = {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: { name: 'test', ...meta },
    spec: { runtimeRef: { name: 'torch-distributed' }, trainer: { image: TEST_IMAGE, ...trainer } },
  };
  return {
    job,
    numNodes: trainer.numNodes ?? 1,
    numProcPerNode: typeof trainer.numProcPerNode === 'number' ? trainer.numProcPerNode : 1,
    baseEnv: { PATH: process.env.PATH },
    python: '/usr/bin/python3',
    graceMs: 2000,
    ...over,
  };
}

/** A workspace with train.py, plus a job dir under `<data>/jobs/<jobId>`. */
export function jobFolders(name: string, script: string): { workspace: string; jobDir: string; jobId: string } {
  const workspace = tempDir(`${name}-ws`);
  fs.writeFileSync(path.join(workspace, 'train.py'), script);
  const jobId = testJobId(name);
  return { workspace, jobId, jobDir: path.join(tempDir(`${name}-data`), 'jobs', jobId) };
}

export function recorder(): BackendCallbacks & { updates: RankInfo[]; latest: Map<number, RankInfo> } {
  const updates: RankInfo[] = [];
  const latest = new Map<number, RankInfo>();
  return {
    updates,
    latest,
    onRankUpdate(rank) {
      updates.push(rank);
      latest.set(rank.globalRank, rank);
    },
  };
}

export function logLines(jobDir: string, rank: number): { ts: number; stream: string; text: string }[] {
  const file = path.join(jobDir, 'logs', `rank-${rank}.log`);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const r = parseRecord(l);
    if (!r) throw new Error(`not a log record: ${JSON.stringify(l)}`);
    return r;
  });
}

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Containers and networks the engine still has for a job. */
export async function leftovers(docker: Docker, jobId: string): Promise<{ containers: string[]; networks: string[] }> {
  const filters = JSON.stringify({ label: [`${LABEL.jobId}=${jobId}`] });
  const containers = (await docker.listContainers({ all: true, filters })).map((c) => c.Names[0] ?? c.Id);
  const networks = (await docker.listNetworks({ filters })).map((n) => n.Name);
  return { containers, networks };
}

/**
 * Every rank prints `line <rank> <i>` and `step=<i> loss=…` every `everyMs`, then exits with `code`
 * (rank `failRank` only). The failing rank exits only after every other rank printed its last line
 * (a marker file in the shared /workspace): its failure stops the others, and on a loaded machine
 * a rank that lags a few sleeps behind would otherwise lose its last lines to that stop.
 */
export function tickerScript(count: number, everyMs: number, failRank = -1, code = 0): string {
  const loop = [
    'import os, sys, time',
    'rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])',
    `for i in range(${count}):`,
    '    print(f"line {rank} {i}", flush=True)',
    '    print(f"step={i} loss={1.0 / (i + 1 + rank):.5f}", flush=True)',
    `    time.sleep(${everyMs / 1000})`,
  ];
  if (failRank < 0) return [...loop, 'sys.exit(0)', ''].join('\n');
  return [
    ...loop,
    `if rank != ${failRank}:`,
    '    open(f".printed-{rank}", "w").close()',
    '    sys.exit(0)',
    'deadline = time.time() + 60',
    'while time.time() < deadline and not all(os.path.exists(f".printed-{r}") for r in range(world) if r != rank):',
    '    time.sleep(0.01)',
    `sys.exit(${code})`,
    '',
  ].join('\n');
}

/** Plain-Python TCP rendezvous at MASTER_ADDR:MASTER_PORT: rank 0 collects every rank's (rank, hostname) and sends the table back. */
export const RENDEZVOUS = `
import json, os, socket, time
rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
addr, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
host = socket.gethostname()
if rank == 0:
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port)); srv.listen()
    peers, conns = [[0, host]], []
    while len(peers) < world:
        c, _ = srv.accept(); peers.append(json.loads(c.makefile().readline())); conns.append(c)
    table = json.dumps(sorted(peers))
    for c in conns: c.sendall((table + "\\n").encode()); c.close()
else:
    deadline = time.time() + 30
    while True:
        try:
            c = socket.create_connection((addr, port), timeout=5); break
        except OSError:
            if time.time() > deadline: raise
            time.sleep(0.1)
    c.sendall((json.dumps([rank, host]) + "\\n").encode()); table = c.makefile().readline().strip()
print(f"rendezvous rank={rank} master={addr}:{port} node_rank={os.environ['PET_NODE_RANK']} local_rank={os.environ['LOCAL_RANK']} peers={table}", flush=True)
`;

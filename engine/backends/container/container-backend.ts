/**
 * The container backend: every node of a TrainJob is a container on a per-job network, on the
 * Docker or Podman engine discovered as Doctor discovers it. The engine keeps the containers and
 * their logs, so the app may stop at any time: the job's record under `<jobDir>/container/` is
 * enough to re-attach (job-watch.ts), and containers of jobs nobody will re-attach are swept.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import type { Settings } from '../../api/contract.js';
import type { PullProgress } from '../../api/schemas/images.js';
import type { Backend, BackendCallbacks, JobLaunch, JobOutcome, RunningJob } from '../backend.js';
import { containerUser, type ContainerUser } from './container-user.js';
import { clientFor, connectEngine, type EngineConnection } from './engine-connection.js';
import { gatherGpuFacts, gpuPreflight, type GpuHostFacts } from './gpu-preflight.js';
import { ensureImage, ImageUnavailableError, PullCancelledError } from './images.js';
import { containerFiles, readManifest, writeManifest, type ContainerJobManifest } from './job-record.js';
import { removeAll, watchContainerJob } from './job-watch.js';
import { pullMessage } from './pull-progress.js';
import { containerCreateOptions, LABEL, planContainerJob, type ContainerJobPlan } from './node-plan.js';
import { gpusRequested, type GpuAttach } from './resources.js';

export const DEFAULT_GRACE_MS = 10_000;
export const DEFAULT_ENGINE_DOWN_TIMEOUT_MS = 60_000;

export interface ContainerBackendOptions {
  env?: NodeJS.ProcessEnv;
  /** The containerSocket setting picks the engine; empty = discover. */
  settings?: () => Settings;
  /** `<dataDir>/jobs`: whose containers an orphan sweep may remove. */
  jobsDir?: string;
  graceMs?: number;
  engineDownTimeoutMs?: number;
  /** What the host can give GPUs through (tests: fake-docker-info + fake-nvidia-smi). */
  gpuFacts?: (conn: EngineConnection) => Promise<GpuHostFacts>;
}

export interface ContainerBackend extends Backend {
  /** "Docker 20.10.24 at /var/run/docker.sock": where new jobs would run (throws when no engine answers). */
  target(): Promise<string>;
  /**
   * Removes containers and networks of this data dir's jobs that no engine will re-attach:
   * `isActive(jobId)` false (unknown or finished job) and not watched here.
   */
  sweepOrphans(isActive: (jobId: string) => Promise<boolean>): Promise<{ containers: string[]; networks: string[] }>;
}

const message = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();

function startError(err: unknown, plan: ContainerJobPlan): string {
  const text = message(err);
  if (/\/bin\/sh.*(no such file|not found)|(no such file|not found).*\/bin\/sh/i.test(text)) {
    return `The image ${plan.image} has no /bin/sh, which the container backend needs to start the ranks; use an image with a shell (${text}).`;
  }
  if ((err as { statusCode?: number }).statusCode === 409) return `A container or network of this job already exists (${text}); remove it with docker rm -f / docker network rm and run again.`;
  return `Starting the job's containers failed: ${text}`;
}

export function createContainerBackend(options: ContainerBackendOptions = {}): ContainerBackend {
  const env = options.env ?? process.env;
  const settings = options.settings ?? ((): Settings => ({ theme: 'system', pythonPath: '', containerSocket: '' }));
  const engineDownTimeoutMs = options.engineDownTimeoutMs ?? DEFAULT_ENGINE_DOWN_TIMEOUT_MS;
  /** Jobs watched by this backend: never swept. */
  const watched = new Set<string>();

  function watch(jobId: string, docker: Docker, manifest: ContainerJobManifest, jobDir: string, callbacks: BackendCallbacks): RunningJob {
    watched.add(jobId);
    const job = watchContainerJob(docker, manifest, containerFiles(jobDir), callbacks, { engineDownTimeoutMs, ...(manifest.memoryLimit ? { memoryLimit: manifest.memoryLimit } : {}) });
    void job.done.finally(() => watched.delete(jobId));
    return { ...job, detach: () => (watched.delete(jobId), job.detach()) };
  }

  async function start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<RunningJob> {
    const graceMs = launch.graceMs ?? options.graceMs ?? DEFAULT_GRACE_MS;
    const failed = (msg: string) => ended({ status: 'Failed', reason: 'StartFailed', message: msg, exitCode: null, failedRank: null });
    let conn: EngineConnection;
    let plan: ContainerJobPlan;
    try {
      conn = await connectEngine(env, settings());
      let gpu: GpuAttach | null = null;
      const gpus = gpusRequested(launch.job.spec.trainer);
      if (gpus.count > 0) {
        const facts = await (options.gpuFacts ?? ((c) => gatherGpuFacts({ ...c, info: () => c.docker.info() }, env)))(conn);
        const preflight = gpuPreflight(facts, gpus.count, gpus.key);
        if (!preflight.ok) return failed(preflight.message);
        gpu = preflight.attach;
      }
      plan = planContainerJob(launch, { gpu, graceMs, jobsDir: path.dirname(path.resolve(launch.jobDir)) });
    } catch (err) {
      return failed(`The job could not start: ${message(err)}`);
    }
    try {
      const onProgress = (p: PullProgress) => {
        callbacks.onProgress?.(p);
        callbacks.onMessage?.(pullMessage(p));
      };
      await ensureImage(conn.docker, plan.image, { jobId: launch.jobId, onProgress, ...(launch.signal ? { signal: launch.signal } : {}) });
    } catch (err) {
      if (err instanceof PullCancelledError) return ended({ status: 'Cancelled', reason: 'Cancelled', message: err.message, exitCode: null, failedRank: null });
      const why = err instanceof ImageUnavailableError ? err.message : `Checking image ${plan.image} failed: ${message(err)}`;
      return failed(plan.imageDefaulted ? `spec.trainer.image is not set, so the torch runtime's default image is used. ${why}` : why);
    }

    if (launch.signal?.aborted) return ended({ status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled before its containers were created.', exitCode: null, failedRank: null });
    let user: ContainerUser;
    try {
      const owner = statSync(launch.workspace);
      const image = await conn.docker.getImage(plan.image).inspect();
      user = containerUser({
        annotations: launch.job.metadata.annotations,
        rootlessEngine: await conn.rootless(),
        imageUser: image.Config?.User ?? '',
        owner: { uid: owner.uid, gid: owner.gid },
        commands: plan.nodes.flatMap((n) => n.commands),
      });
    } catch (err) {
      return failed(`The job could not start: ${message(err)}`);
    }
    const jobDir = path.resolve(launch.jobDir);
    const memory = launch.job.spec.trainer?.resourcesPerNode?.limits?.memory;
    const manifest: ContainerJobManifest = {
      version: 1,
      jobId: launch.jobId,
      engineAddress: conn.address,
      engine: conn.describe,
      image: plan.image,
      network: plan.network,
      numNodes: plan.numNodes,
      numProcPerNode: plan.numProcPerNode,
      graceMs,
      ...(memory === undefined ? {} : { memoryLimit: String(memory) }),
      createdAt: Date.now(),
      nodes: plan.nodes.map((n) => ({ nodeRank: n.nodeRank, name: n.name, containerId: null })),
    };
    // Written before anything exists on the engine, so a restarted app always knows what to look for.
    mkdirSync(containerFiles(jobDir).logsDir, { recursive: true });
    writeManifest(jobDir, manifest);
    const docker = conn.docker;
    try {
      await docker.createNetwork({ Name: plan.network, Driver: 'bridge', CheckDuplicate: true, Labels: plan.labels });
      for (const node of plan.nodes) {
        const container = await docker.createContainer(containerCreateOptions(plan, node, launch.workspace, { engine: conn.engine, graceMs, user }));
        manifest.nodes[node.nodeRank]!.containerId = container.id;
        writeManifest(jobDir, manifest);
      }
      await Promise.all(manifest.nodes.map((n) => docker.getContainer(n.containerId!).start()));
    } catch (err) {
      await removeAll(docker, manifest).catch(() => undefined);
      manifest.nodes.forEach((n) => (n.containerId = null));
      writeManifest(jobDir, { ...manifest, nodes: [] }); // nothing left to re-attach to
      return failed(startError(err, plan));
    }
    return watch(launch.jobId, docker, manifest, jobDir, callbacks);
  }

  async function reattach(jobId: string, jobDirIn: string, callbacks: BackendCallbacks): Promise<RunningJob> {
    const jobDir = path.resolve(jobDirIn);
    const manifest = readManifest(jobDir);
    if (!manifest || manifest.jobId !== jobId) {
      return ended({ status: 'Failed', reason: 'Lost', message: `No record of this job's containers in ${jobDir}: the app stopped before creating them.`, exitCode: null, failedRank: null });
    }
    if (manifest.nodes.length === 0) {
      return ended({ status: 'Failed', reason: 'StartFailed', message: "The job's containers could not be started; its record lists none.", exitCode: null, failedRank: null });
    }
    // The engine the job started on, even if settings now pick another; it may be down right now.
    return watch(jobId, clientFor(manifest.engineAddress), manifest, jobDir, callbacks);
  }

  async function sweepOrphans(isActive: (jobId: string) => Promise<boolean>) {
    const removed = { containers: [] as string[], networks: [] as string[] };
    if (!options.jobsDir) return removed;
    let docker: Docker;
    try {
      docker = (await connectEngine(env, settings())).docker;
    } catch {
      return removed; // no engine: nothing of ours can be running on it
    }
    const filters = JSON.stringify({ label: [`${LABEL.managed}=true`, `${LABEL.jobsDir}=${path.resolve(options.jobsDir)}`] });
    const verdicts = new Map<string, Promise<boolean>>();
    const orphan = (jobId: string | undefined) => {
      if (!jobId || watched.has(jobId)) return Promise.resolve(false);
      if (!verdicts.has(jobId)) verdicts.set(jobId, isActive(jobId).then((active) => !active && !watched.has(jobId), () => false));
      return verdicts.get(jobId)!;
    };
    for (const c of await docker.listContainers({ all: true, filters })) {
      if (!(await orphan(c.Labels[LABEL.jobId]))) continue;
      await docker.getContainer(c.Id).remove({ force: true }).then(() => removed.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id), () => undefined);
    }
    for (const n of await docker.listNetworks({ filters })) {
      if (!(await orphan(n.Labels?.[LABEL.jobId]))) continue;
      await docker.getNetwork(n.Id).remove().then(() => removed.networks.push(n.Name), () => undefined);
    }
    return removed;
  }

  return {
    id: 'container',
    start,
    reattach,
    sweepOrphans,
    target: async () => (await connectEngine(env, settings())).describe,
  };
}

function ended(outcome: JobOutcome): RunningJob {
  return { done: Promise.resolve(outcome), ranks: () => [], cancel: async () => {}, detach: () => {} };
}

/**
 * The local-process backend: every rank of a TrainJob is a process on this machine, started by
 * the job's detached supervisor (job-supervisor.ts, one per job whatever its rank count) that
 * owns the ranks' logs and exit records. The engine only writes the plan to disk, starts the
 * supervisor and watches its files, so it can be killed at any moment and re-attach later
 * (job-watch.ts).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Backend, BackendCallbacks, JobLaunch, JobOutcome } from '../backend.js';
import type { JobManifest, WrapperSpec } from './job-files.js';
import { jobFiles, readJson, writeJsonAtomic } from './job-files.js';
import type { LocalRunningJob } from './job-watch.js';
import { watchJob } from './job-watch.js';
import { processesWithEnv, signal } from './processes.js';
import type { RankPlan } from './rank-plan.js';
import { JOB_ID_ENV, LOCAL_MASTER_ADDR, planRanks } from './rank-plan.js';
import { SupervisorLauncher } from './supervisor-launch.js';
import { nodeCommand, supervisorScript } from './supervisor-runtime.js';

export const DEFAULT_GRACE_MS = 10_000;

export interface LocalProcessOptions {
  /** Used when a launch does not set graceMs. */
  graceMs?: number;
  /** How often rank files are polled besides fs.watch. Default 500 ms. */
  pollMs?: number;
  /** A prebuilt job-supervisor.mjs; default: found or bundled by supervisor-runtime.ts. */
  wrapperPath?: string;
  /** Node binary for the supervisors; default this process's (Electron's, run as Node). */
  nodePath?: string;
  /** Keep a warm supervisor ready, so the next job's ranks start without waiting for Node (long-lived engines). */
  warmSpare?: boolean;
  /** Processes of a job that outlived their rank's process group and were killed at its end. */
  onOrphans?: (jobId: string, pids: number[]) => void;
}

export interface LocalProcessBackend extends Backend {
  start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<LocalRunningJob>;
  reattach(jobId: string, jobDir: string, callbacks: BackendCallbacks): Promise<LocalRunningJob>;
  /** Ends the warm spare; running jobs are not touched. */
  close(): void;
}

/** A free TCP port on the loopback interface (bound, read, released: another process could still take it). */
export function freePort(host = LOCAL_MASTER_ADDR): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function createLocalProcessBackend(options: LocalProcessOptions = {}): LocalProcessBackend {
  const watchOptions = { pollMs: options.pollMs ?? 500, hardStopSlackMs: 3000, onOrphans: options.onOrphans };
  const node = nodeCommand(options.nodePath);
  const supervisors = new SupervisorLauncher({
    script: () => (options.wrapperPath ? Promise.resolve(options.wrapperPath) : supervisorScript()),
    // The supervisor needs nothing of the engine's environment; the ranks' env is in their spec files.
    node: { file: node.file, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...node.env } },
    keepSpare: options.warmSpare ?? false,
  });

  async function start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<LocalRunningJob> {
    const graceMs = launch.graceMs ?? options.graceMs ?? DEFAULT_GRACE_MS;
    let plan: RankPlan;
    let jobDir: string;
    try {
      plan = planRanks(launch, await freePort());
      const planned = jobFiles(path.resolve(launch.jobDir));
      fs.mkdirSync(planned.logsDir, { recursive: true });
      fs.mkdirSync(planned.ranksDir, { recursive: true, mode: 0o700 }); // spec files hold the env
      jobDir = canonical(launch.jobDir);
    } catch (err) {
      return ended(launch.jobId, { status: 'Failed', reason: 'StartFailed', message: `The job could not start: ${err instanceof Error ? err.message : String(err)}`, exitCode: null, failedRank: null });
    }

    const files = jobFiles(jobDir);
    const manifest: JobManifest = {
      version: 1,
      jobId: launch.jobId,
      numNodes: plan.numNodes,
      numProcPerNode: plan.numProcPerNode,
      masterPort: plan.masterPort,
      graceMs,
      createdAt: Date.now(),
      ranks: plan.ranks.map((r) => ({ globalRank: r.globalRank, nodeRank: r.nodeRank, localRank: r.localRank, wrapperPid: null })),
    };
    // Written before the supervisor starts, so a restarted engine always knows which ranks to look for.
    writeJsonAtomic(files.manifest, manifest, { durable: false });

    const startErrors = new Map<number, string>();
    const written: number[] = [];
    for (const rank of plan.ranks) {
      const f = files.rank(rank.globalRank);
      const setup = plan.setups.find((s) => s.nodeRank === rank.nodeRank);
      const spec: WrapperSpec = {
        jobId: launch.jobId,
        globalRank: rank.globalRank,
        nodeRank: rank.nodeRank,
        argv: rank.argv,
        env: rank.env,
        cwd: rank.cwd,
        graceMs,
        ...(setup && rank.localRank === 0 ? { setup: { argv: setup.argv, env: setup.env } } : {}),
        ...(setup && rank.localRank > 0 ? { waitForSetup: true } : {}),
      };
      try {
        fs.rmSync(f.spec, { force: true }); // mode applies only when the file is created
        fs.writeFileSync(f.spec, JSON.stringify(spec), { mode: 0o600, flag: 'wx' });
        fs.closeSync(fs.openSync(f.log, 'a')); // exists at once, so a tailer can open it
        written.push(rank.globalRank);
      } catch (err) {
        fs.rmSync(f.spec, { force: true });
        startErrors.set(rank.globalRank, `its supervisor could not be given its spec: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (written.length > 0) {
      const cannotStart = (message: string) => {
        for (const n of written) startErrors.set(n, message);
      };
      try {
        const supervisor = await supervisors.start(jobDir, cannotStart);
        for (const n of written) Object.assign(manifest.ranks[n]!, { wrapperPid: supervisor.pid, wrapperStarted: supervisor.started });
      } catch (err) {
        for (const n of written) fs.rmSync(files.rank(n).spec, { force: true });
        cannotStart(`its supervisor process could not start: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // Not fsynced: the supervisor's pid only matters while the machine runs (its exit records are).
    writeJsonAtomic(files.manifest, manifest, { durable: false });
    return watchJob(manifest, jobDir, callbacks, watchOptions, startErrors);
  }

  async function reattach(jobId: string, jobDirIn: string, callbacks: BackendCallbacks): Promise<LocalRunningJob> {
    const jobDir = canonical(jobDirIn);
    const manifest = readJson<JobManifest>(jobFiles(jobDir).manifest);
    if (!manifest || manifest.jobId !== jobId) {
      // Nothing was started (the manifest precedes every wrapper); clear any stray process anyway.
      for (const pid of processesWithEnv(JOB_ID_ENV, jobId)) signal(pid, 'SIGKILL');
      return ended(jobId, { status: 'Failed', reason: 'Lost', message: `No record of this job's processes in ${jobDir}: the engine stopped before starting them.`, exitCode: null, failedRank: null });
    }
    return watchJob(manifest, jobDir, callbacks, watchOptions);
  }

  return { id: 'local-process', start, reattach, close: () => supervisors.close() };
}

/** Wrappers are recognised by the job dir in their command line, so start and reattach must spell it alike. */
function canonical(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function ended(jobId: string, outcome: JobOutcome): LocalRunningJob {
  return { jobId, done: Promise.resolve(outcome), ranks: () => [], cancel: async () => {}, detach: () => {} };
}

/**
 * The local-process backend: every rank of a TrainJob is a process on this machine, started by
 * its own detached rank wrapper (rank-wrapper.ts) that owns the rank's log and exit record. The
 * engine only writes the plan to disk, starts the wrappers and watches their files, so it can be
 * killed at any moment and re-attach later (job-watch.ts).
 */
import { spawn } from 'node:child_process';
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
import { nodeCommand, wrapperScript } from './wrapper-runtime.js';

export const DEFAULT_GRACE_MS = 10_000;

export interface LocalProcessOptions {
  /** Used when a launch does not set graceMs. */
  graceMs?: number;
  /** How often rank files are polled besides fs.watch. Default 500 ms. */
  pollMs?: number;
  /** A prebuilt rank-wrapper.mjs; default: found or bundled by wrapper-runtime.ts. */
  wrapperPath?: string;
  /** Node binary for the wrappers; default this process's (Electron's, run as Node). */
  nodePath?: string;
  /** Processes of a job that outlived their rank's process group and were killed at its end. */
  onOrphans?: (jobId: string, pids: number[]) => void;
}

export interface LocalProcessBackend extends Backend {
  start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<LocalRunningJob>;
  reattach(jobId: string, jobDir: string, callbacks: BackendCallbacks): Promise<LocalRunningJob>;
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

  async function start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<LocalRunningJob> {
    const graceMs = launch.graceMs ?? options.graceMs ?? DEFAULT_GRACE_MS;
    let plan: RankPlan;
    let wrapper: string;
    let jobDir: string;
    try {
      plan = planRanks(launch, await freePort());
      wrapper = options.wrapperPath ?? (await wrapperScript());
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
    // Written before any wrapper starts, so a restarted engine always knows which ranks to look for.
    writeJsonAtomic(files.manifest, manifest);

    const node = nodeCommand(options.nodePath);
    // The wrapper needs nothing of the engine's environment; the rank's own env is in its spec file.
    const wrapperEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...node.env };
    const startErrors = new Map<number, string>();
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
        // detached: a session of its own, so neither a terminal's SIGHUP nor the engine's death reaches it.
        const child = spawn(node.file, [wrapper, jobDir, String(rank.globalRank)], { cwd: jobDir, env: wrapperEnv, detached: true, stdio: 'ignore' });
        child.on('error', (err) => startErrors.set(rank.globalRank, `its wrapper process could not start: ${err.message}`));
        child.unref();
        manifest.ranks[rank.globalRank]!.wrapperPid = child.pid ?? null;
      } catch (err) {
        fs.rmSync(f.spec, { force: true });
        startErrors.set(rank.globalRank, `its wrapper process could not start: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    writeJsonAtomic(files.manifest, manifest);
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

  return { id: 'local-process', start, reattach };
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

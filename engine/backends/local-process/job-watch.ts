/**
 * Watches a local-process job through its files only (pid/exit records, stop marker), so the
 * same code serves a job the engine just started and one it re-attached to after a restart.
 * Exits are seen by fs.watch on ranks/ plus polling (fs.watch can miss events, e.g. on network
 * file systems); a supervisor that is gone without an exit record makes its rank Lost.
 */
import fs from 'node:fs';
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { BackendCallbacks, JobOutcome, RunningJob } from '../backend.js';
import type { ExitRecord, JobManifest, PidRecord, StopReason, StopRecord } from './job-files.js';
import { jobFiles, readJson, writeJsonAtomic } from './job-files.js';
import type { RankState } from './outcome.js';
import { firstFailure, isFinished, outcomeOf, rankInfo } from './outcome.js';
import { hasEnv, isAlive, isWrapperOf, processesWithEnvAsync, signal } from './processes.js';
import { JOB_ID_ENV } from './rank-plan.js';

export interface WatchOptions {
  pollMs: number;
  /** Extra time after the supervisor's own SIGKILL before the backend kills a stuck supervisor itself. */
  hardStopSlackMs: number;
  /** Processes of the job still alive after every rank ended (escaped their group); they are killed. */
  onOrphans?: (jobId: string, pids: number[]) => void;
}

/** `detach()` leaves the supervisor running and writing; `reattach` picks the job up again, and `done` never settles. */
export interface LocalRunningJob extends RunningJob {
  readonly jobId: string;
}

export function watchJob(manifest: JobManifest, jobDir: string, callbacks: BackendCallbacks, options: WatchOptions, startErrors: Map<number, string> = new Map()): LocalRunningJob {
  const files = jobFiles(jobDir);
  const states: RankState[] = manifest.ranks.map((r) => ({ ...r, pid: null, exit: null, lost: null }));
  const emitted = new Map<number, string>();
  let stop = readJson<StopRecord>(files.stop);
  let finished = false;
  let detached = false;
  let hardStopScheduled = false;
  const timers = new Set<NodeJS.Timeout>();
  let resolveDone!: (o: JobOutcome) => void;
  const done = new Promise<JobOutcome>((r) => (resolveDone = r));

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  let pollQueued = false;
  const schedulePoll = () => {
    if (pollQueued || finished || detached) return;
    pollQueued = true;
    later(10, () => {
      pollQueued = false;
      poll();
    });
  };
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(files.ranksDir, schedulePoll);
    watcher.on('error', () => watcher?.close());
  } catch {
    // polling alone still works
  }
  const interval = setInterval(() => poll(), options.pollMs);

  function refresh(r: RankState): void {
    const pidRecord = readJson<PidRecord>(files.rank(r.globalRank).pid);
    if (pidRecord) {
      r.wrapperPid = pidRecord.wrapperPid;
      r.wrapperStarted = pidRecord.wrapperStarted;
      r.pid = pidRecord.pid;
    }
    r.exit = readJson<ExitRecord>(files.rank(r.globalRank).exit);
    if (r.exit) return;
    if (r.wrapperPid !== null && isWrapperOf(r.wrapperPid, jobDir, r.globalRank, r.wrapperStarted)) return; // still running
    // Read again: the supervisor may have written its record and exited since the first read.
    r.exit = readJson<ExitRecord>(files.rank(r.globalRank).exit);
    if (r.exit) return;
    r.lost =
      startErrors.get(r.globalRank) ??
      (r.wrapperPid === null
        ? 'its supervisor process never started'
        : `its supervisor process (pid ${r.wrapperPid}) ended without recording an exit code (machine restarted, or the process was killed); its result is unknown`);
  }

  function poll(): void {
    if (finished || detached) return;
    for (const r of states) if (!isFinished(r)) refresh(r);
    for (const r of states) {
      const info = rankInfo(r, stop);
      const key = JSON.stringify(info);
      if (emitted.get(r.globalRank) !== key) {
        emitted.set(r.globalRank, key);
        try {
          callbacks.onRankUpdate(info);
        } catch {
          // a listener's bug must not stop the watch (and with it failure handling)
        }
      }
    }
    if (!stop) {
      const failed = firstFailure(states, null);
      const lost = states.find((r) => r.lost !== null);
      if (failed) beginStop('rank-failed', failed.globalRank);
      else if (lost) beginStop('rank-lost', lost.globalRank);
    }
    if (states.every(isFinished)) void complete();
  }

  function beginStop(reason: StopReason, rank: number | null): void {
    if (!stop) {
      stop = { reason, at: Date.now(), rank };
      writeJsonAtomic(files.stop, stop); // a re-attached engine finishes the stop and knows why
    }
    for (const r of states) {
      // A lost rank's command may still run, orphaned: stop its group directly (if the pid is still the job's).
      if (r.lost && r.pid !== null && hasEnv(r.pid, JOB_ID_ENV, manifest.jobId)) signal(-r.pid, 'SIGTERM');
      if (isFinished(r)) continue;
      // The supervisor forwards to the command's group and escalates to SIGKILL after its grace.
      // Only once its pid record exists (read now, after stop.json was written): a supervisor still
      // starting has no SIGTERM handler yet and would die of the signal without an exit record;
      // it reads stop.json itself after writing that record (job-supervisor.ts), and the hard stop
      // below still catches one that never gets that far.
      const pids = readJson<PidRecord>(files.rank(r.globalRank).pid);
      if (pids && isWrapperOf(pids.wrapperPid, jobDir, r.globalRank, pids.wrapperStarted)) signal(pids.wrapperPid, 'SIGTERM');
    }
    if (!hardStopScheduled) later(manifest.graceMs + options.hardStopSlackMs, hardStop);
    hardStopScheduled = true;
  }

  /** A supervisor that did not finish in time: kill it and its command, and record that ourselves. */
  function hardStop(): void {
    for (const r of states) {
      if (isFinished(r)) continue;
      if (r.pid !== null && hasEnv(r.pid, JOB_ID_ENV, manifest.jobId)) signal(-r.pid, 'SIGKILL');
      if (r.wrapperPid !== null && isWrapperOf(r.wrapperPid, jobDir, r.globalRank, r.wrapperStarted)) signal(r.wrapperPid, 'SIGKILL');
      fs.rmSync(files.rank(r.globalRank).spec, { force: true }); // a supervisor killed before reading it leaves the env behind
      if (!fs.existsSync(files.rank(r.globalRank).exit)) {
        const now = Date.now();
        const record: ExitRecord = { exitCode: 137, signal: 'SIGKILL', startedAt: stop?.at ?? now, finishedAt: now, pid: r.pid, phase: 'main', synthesized: true };
        writeJsonAtomic(files.rank(r.globalRank).exit, record);
      }
    }
    poll();
  }

  async function complete(): Promise<void> {
    finished = true;
    closeWatch();
    // Wrappers exit right after their exit record; "done" means nothing of the job is left running.
    for (let i = 0; i < 40 && states.some((r) => r.wrapperPid !== null && isWrapperOf(r.wrapperPid, jobDir, r.globalRank, r.wrapperStarted)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Whatever still carries the job's id escaped its rank's process group (setsid, double fork):
    // a pod's end would take it down too, so the job's end does as well.
    const orphans = await processesWithEnvAsync(JOB_ID_ENV, manifest.jobId);
    for (const pid of orphans) signal(pid, 'SIGKILL');
    for (let i = 0; i < 40 && orphans.some(isAlive); i++) await new Promise((r) => setTimeout(r, 25)); // SIGKILL is not instant
    if (orphans.length) options.onOrphans?.(manifest.jobId, orphans);
    resolveDone(outcomeOf(states, stop));
  }

  function closeWatch(): void {
    clearInterval(interval);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    watcher?.close();
  }

  poll();
  // Re-attached in the middle of a stop: carry it on (signals again, new hard-stop deadline).
  if (stop && !finished) beginStop(stop.reason, stop.rank);

  return {
    jobId: manifest.jobId,
    done,
    ranks: (): RankInfo[] => states.map((r) => rankInfo(r, stop)),
    async cancel() {
      if (!finished && !detached) beginStop('cancel', null);
      if (!detached) await done;
    },
    detach() {
      detached = true;
      closeWatch();
    },
  };
}

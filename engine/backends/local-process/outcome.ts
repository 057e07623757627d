/**
 * Rank states and the job's outcome, computed only from what the rank files say, so a
 * re-attached engine reaches the same verdict as the one that started the job. Pure.
 */
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { JobOutcome } from '../backend.js';
import type { ExitRecord, StopRecord } from './job-files.js';

export interface RankState {
  globalRank: number;
  nodeRank: number;
  localRank: number;
  wrapperPid: number | null;
  /** The supervisor's start time, when known (see isWrapperOf). */
  wrapperStarted?: string | undefined;
  /** The command's pid (= its process group), once started. */
  pid: number | null;
  exit: ExitRecord | null;
  /** Why the rank is lost: its wrapper ended without an exit record. */
  lost: string | null;
}

export const isFinished = (r: RankState) => r.exit !== null || r.lost !== null;

/** Ended by our stop (after a failure elsewhere, or a cancel) rather than on its own. */
const stoppedByUs = (r: RankState, stop: StopRecord | null) => stop !== null && r.exit !== null && r.exit.exitCode !== 0 && r.exit.finishedAt >= stop.at;

export function rankInfo(r: RankState, stop: StopRecord | null): RankInfo {
  const base = { globalRank: r.globalRank, nodeRank: r.nodeRank, localRank: r.localRank, pid: r.exit?.pid ?? r.pid };
  if (r.exit) {
    const status = r.exit.exitCode === 0 ? 'Succeeded' : stoppedByUs(r, stop) ? 'Cancelled' : 'Failed';
    return { ...base, status, exitCode: r.exit.exitCode, signal: r.exit.signal };
  }
  if (r.lost) return { ...base, status: 'Failed', exitCode: null, signal: null };
  return { ...base, status: r.pid === null ? 'Pending' : 'Running', exitCode: null, signal: null };
}

/** The rank that failed on its own first (by finish time), if any: the job's cause of failure. */
export function firstFailure(ranks: readonly RankState[], stop: StopRecord | null): RankState | null {
  let first: RankState | null = null;
  for (const r of ranks) {
    if (!r.exit || r.exit.exitCode === 0 || stoppedByUs(r, stop)) continue;
    if (!first || r.exit.finishedAt < first.exit!.finishedAt) first = r;
  }
  return first;
}

const where = (r: RankState) => `rank ${r.globalRank} (node ${r.nodeRank}, local rank ${r.localRank})`;

function howItEnded(e: ExitRecord): string {
  if (e.error) return `could not run (${e.error}; exit code ${e.exitCode})`;
  if (e.signal) return `was killed by ${e.signal} (exit code ${e.exitCode})`;
  return `exited with code ${e.exitCode}`;
}

/** Call once every rank is finished. */
export function outcomeOf(ranks: readonly RankState[], stop: StopRecord | null): JobOutcome {
  const others = ranks.length > 1 ? '; the other ranks were stopped' : '';
  const failed = firstFailure(ranks, stop);
  if (failed) {
    const e = failed.exit!;
    const what = e.phase === 'setup' ? `the setup commands of node ${failed.nodeRank} (run by ${where(failed)}) ${howItEnded(e)}` : `${where(failed)} ${howItEnded(e)}${ranks.length > 1 ? ' first' : ''}`;
    return { status: 'Failed', reason: 'RankFailed', message: `${what}${others}.`, exitCode: e.exitCode, failedRank: failed.globalRank };
  }
  const lost = ranks.find((r) => r.lost !== null);
  if (stop?.reason === 'cancel' && !ranks.every((r) => r.exit?.exitCode === 0)) {
    const stopped = ranks.filter((r) => stoppedByUs(r, stop)).length;
    return { status: 'Cancelled', reason: 'Cancelled', message: `Cancelled; ${stopped} of ${ranks.length} rank(s) were stopped.`, exitCode: null, failedRank: null };
  }
  if (lost) {
    return { status: 'Failed', reason: 'Lost', message: `${where(lost)} is lost: ${lost.lost}${others}.`, exitCode: null, failedRank: lost.globalRank };
  }
  return { status: 'Complete', reason: 'Succeeded', message: `All ${ranks.length} rank(s) exited with code 0.`, exitCode: 0, failedRank: null };
}

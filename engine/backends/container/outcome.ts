/**
 * Rank states and the job's outcome from the node records alone, so an engine that re-attached
 * reaches the same verdict as the one that started the job. Pure.
 */
import { constants } from 'node:os';
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { JobOutcome } from '../backend.js';
import type { ContainerJobManifest, NodeRecord, RankExit, StopRecord } from './job-record.js';

export interface RankRef {
  globalRank: number;
  nodeRank: number;
  localRank: number;
  exit: RankExit | null;
}

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** A shell reports a command killed by signal N as 128 + N. */
export function signalOf(code: number): string | null {
  return code > 128 ? (signalNames.get(code - 128) ?? null) : null;
}

export function rankRefs(nodes: readonly NodeRecord[], numProcPerNode: number): RankRef[] {
  return nodes.flatMap((node, nodeRank) =>
    node.ranks.map((r, localRank) => ({ globalRank: nodeRank * numProcPerNode + localRank, nodeRank, localRank, exit: r.exit })),
  );
}

/**
 * The launcher never reported the rank's end and its container exited with 0: the rank's exit
 * code is unknown (its "K exit" line is missing from the container's log). Never a success.
 */
export const exitUnknown = (e: RankExit): boolean => e.synthesized === true && e.code === 0;

/** Exited with 0 as its launcher reported it: the only evidence of success there is. */
export const succeeded = (e: RankExit | null): boolean => e !== null && e.code === 0 && !e.synthesized;

/**
 * `ts` (the engine's log clock) is at or after our stop (the host's clock). An engine that stamps
 * whole seconds reads up to a second early, so there a second's slack is allowed.
 */
export function atOrAfterStop(ts: number, node: NodeRecord, stop: StopRecord): boolean {
  return ts >= stop.at - (node.coarseClock ? 1000 : 0);
}

/** The node's launcher got a SIGTERM before any stop of ours: someone stopped its container. */
export function stoppedFromOutside(node: NodeRecord, stop: StopRecord | null): boolean {
  return node.stopping?.why === 'cancel' && (!stop || !atOrAfterStop(node.stopping.at, node, stop));
}

/**
 * Ended because a stop reached it — ours, or its node's launcher's after a sibling failed — not
 * on its own. A SIGTERM from elsewhere (an engine shutting down, `docker stop` by hand) is a failure.
 */
export function stoppedByUs(r: RankRef, node: NodeRecord, stop: StopRecord | null): boolean {
  const e = r.exit;
  if (!e || e.code === 0) return false;
  // The rank whose failure began our stop caused it, whatever the two clocks (host, engine) say.
  if (stop?.reason === 'rank-failed' && stop.rank === r.globalRank) return false;
  if (stop && atOrAfterStop(e.ts, node, stop)) return true;
  if (node.stopping?.why !== 'rank-failed') return false;
  // By the log's order: the failed rank's exit comes before the launcher's "K stopping" line,
  // and both may carry the same timestamp. Older records without the order: strictly after.
  return e.afterStopping ?? e.ts > node.stopping.at;
}

export function rankInfo(r: RankRef, node: NodeRecord, stop: StopRecord | null, container: string | null = null): RankInfo {
  const base = { globalRank: r.globalRank, nodeRank: r.nodeRank, localRank: r.localRank, pid: null, container };
  if (r.exit) {
    if (exitUnknown(r.exit)) return { ...base, status: 'Failed', exitCode: null, signal: null };
    const status = r.exit.code === 0 ? 'Succeeded' : stoppedByUs(r, node, stop) ? 'Cancelled' : 'Failed';
    return { ...base, status, exitCode: r.exit.code, signal: signalOf(r.exit.code) };
  }
  if (node.lost) return { ...base, status: 'Failed', exitCode: null, signal: null };
  return { ...base, status: node.ranks[r.localRank]?.started ? 'Running' : 'Pending', exitCode: null, signal: null };
}

/** `containers`: each node's container name, by node rank. */
export function rankInfos(nodes: readonly NodeRecord[], numProcPerNode: number, stop: StopRecord | null, containers: readonly string[] = []): RankInfo[] {
  return rankRefs(nodes, numProcPerNode).map((r) => rankInfo(r, nodes[r.nodeRank]!, stop, containers[r.nodeRank] ?? null));
}

/** The rank that failed on its own first, by the engine's log timestamps: the job's cause of failure. */
export function firstFailure(nodes: readonly NodeRecord[], numProcPerNode: number, stop: StopRecord | null): RankRef | null {
  let first: RankRef | null = null;
  for (const r of rankRefs(nodes, numProcPerNode)) {
    if (!r.exit || succeeded(r.exit) || stoppedByUs(r, nodes[r.nodeRank]!, stop)) continue;
    if (!first || r.exit.ts < first.exit!.ts) first = r;
  }
  return first;
}

export const isNodeFinished = (n: NodeRecord) => n.lost !== null || (n.ended !== null && n.ranks.every((r) => r.exit !== null));

export interface OutcomeContext {
  manifest: Pick<ContainerJobManifest, 'nodes' | 'numProcPerNode' | 'engine'>;
  /** The engine stopped answering (restart, crash) at some point while the job ran. */
  engineInterrupted: boolean;
  /** The memory limit as written in the spec, for an out-of-memory message. */
  memoryLimit?: string;
}

/** Call once every node is finished. */
export function outcomeOf(nodes: readonly NodeRecord[], stop: StopRecord | null, ctx: OutcomeContext): JobOutcome {
  const { numProcPerNode } = ctx.manifest;
  const total = nodes.length * numProcPerNode;
  const others = total > 1 ? '; the other ranks were stopped' : '';
  const containerOf = (n: number) => ctx.manifest.nodes[n]?.name ?? `node ${n}`;
  const restarted = (what: string) =>
    `The container engine (${ctx.manifest.engine}) stopped or restarted while the job ran, which stopped its containers: ${what}`;
  const failed = firstFailure(nodes, numProcPerNode, stop);
  if (failed) {
    const e = failed.exit!;
    const node = nodes[failed.nodeRank]!;
    const where = `rank ${failed.globalRank} (node ${failed.nodeRank}, local rank ${failed.localRank}, container ${containerOf(failed.nodeRank)})`;
    const signal = signalOf(e.code);
    let how = signal ? `was killed by ${signal} (exit code ${e.code})` : `exited with code ${e.code}`;
    // No "K exit" line for it in the container's log: the code is the container's, or unknown.
    if (e.synthesized) how += `, its container's exit code (the launcher's record of the rank's own exit is missing from the container's log)`;
    if (exitUnknown(e)) how = `ended with an unknown exit code: the launcher's record of its exit is missing from the container's log, and its container exited with code 0`;
    // Its launcher got a SIGTERM that no stop of ours sent: someone stopped the container.
    const outside = !ctx.engineInterrupted && stoppedFromOutside(node, stop) ? ': its container was stopped from outside Kubeflow Desktop (docker stop?)' : '';
    if (e.synthesized && node.ended?.error) how = `could not run: ${node.ended.error}`;
    // The kernel's OOM killer sends SIGKILL (137): to the rank itself, or to the whole container.
    // Podman reports only an OOM kill of the container's PID 1; the launcher reports the ranks'.
    const oom = (node.ended?.oomKilled && (e.synthesized || e.code === 137)) || (node.ranks[failed.localRank]?.oomKilled === true && e.code === 137);
    if (oom) {
      how = `was killed because its container ran out of memory${ctx.memoryLimit ? ` (limit ${ctx.memoryLimit})` : ''}; raise spec.trainer.resourcesPerNode.limits.memory`;
    }
    const what =
      e.phase === 'setup'
        ? `the setup commands of node ${failed.nodeRank} (container ${containerOf(failed.nodeRank)}) exited with code ${e.code}${others}.`
        : `${where} ${how}${total > 1 ? ' first' : ''}${outside}${others}.`;
    // A failure before a cancel is still the job's failure.
    if (stop?.reason !== 'cancel' || !atOrAfterStop(e.ts, node, stop)) {
      const reason = ctx.engineInterrupted ? 'EngineRestarted' : 'RankFailed';
      return { status: 'Failed', reason, message: ctx.engineInterrupted ? restarted(what) : what, exitCode: exitUnknown(e) ? null : e.code, failedRank: failed.globalRank };
    }
  }
  const all = rankRefs(nodes, numProcPerNode);
  if (stop?.reason === 'cancel' && !all.every((r) => succeeded(r.exit))) {
    const stopped = all.filter((r) => stoppedByUs(r, nodes[r.nodeRank]!, stop)).length;
    return { status: 'Cancelled', reason: 'Cancelled', message: `Cancelled; ${stopped} of ${total} rank(s) were stopped and every container removed.`, exitCode: null, failedRank: null };
  }
  const lostNode = nodes.findIndex((n) => n.lost !== null);
  if (lostNode >= 0) {
    const what = `node ${lostNode} (container ${containerOf(lostNode)}) is lost: ${nodes[lostNode]!.lost}${others}.`;
    const message = ctx.engineInterrupted ? restarted(what) : what;
    return { status: 'Failed', reason: ctx.engineInterrupted ? 'EngineRestarted' : 'Lost', message, exitCode: null, failedRank: lostNode * numProcPerNode };
  }
  // Complete only on evidence: every rank's launcher reported exit code 0. Anything else here (a
  // node's launcher stopped its ranks for a failure that is not on record) is not a success.
  const unproven = all.find((r) => !succeeded(r.exit));
  if (unproven) {
    const e = unproven.exit;
    const node = nodes[unproven.nodeRank]!;
    const where = `rank ${unproven.globalRank} (node ${unproven.nodeRank}, local rank ${unproven.localRank}, container ${containerOf(unproven.nodeRank)})`;
    const why =
      node.stopping?.why === 'rank-failed'
        ? `its node's launcher stopped the ranks because one failed, but no failed rank's exit is on record in the container's log`
        : `no exit code 0 for it is on record in the container's log`;
    const container = node.ended ? `; the container exited with code ${node.ended.exitCode}` : '';
    const what = `${where} ended with ${e ? `code ${e.code}` : 'no exit code'}: ${why}${container}${others}.`;
    return { status: 'Failed', reason: ctx.engineInterrupted ? 'EngineRestarted' : 'RankFailed', message: ctx.engineInterrupted ? restarted(what) : what, exitCode: e && e.code !== 0 ? e.code : (node.ended?.exitCode || null), failedRank: unproven.globalRank };
  }
  return { status: 'Complete', reason: 'Succeeded', message: `All ${total} rank(s) on ${nodes.length} container(s) exited with code 0.`, exitCode: 0, failedRank: null };
}

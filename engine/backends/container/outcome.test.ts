import { describe, expect, it } from 'vitest';
import type { NodeRecord, RankExit, StopRecord } from './job-record.js';
import { firstFailure, outcomeOf, rankInfos, signalOf } from './outcome.js';

const manifest = { engine: 'Docker 20.10.24 at /var/run/docker.sock', numProcPerNode: 2, nodes: [0, 1].map((i) => ({ nodeRank: i, name: `kfd-j-node-${i}`, containerId: `c${i}` })) };
const exit = (code: number, ts: number, extra: Partial<RankExit> = {}): RankExit => ({ code, ts, phase: 'main', ...extra });
function node(exits: (RankExit | null)[], extra: Partial<NodeRecord> = {}): NodeRecord {
  return { cursor: null, ranks: exits.map((e) => ({ started: true, exit: e })), stopping: null, ended: { exitCode: 0, finishedAt: 999, oomKilled: false, error: '' }, lost: null, ...extra };
}
const ctx = { manifest, engineInterrupted: false };

describe('container job outcome', () => {
  it('all ranks 0: Complete', () => {
    expect(outcomeOf([node([exit(0, 1), exit(0, 2)]), node([exit(0, 3), exit(0, 4)])], null, ctx)).toEqual({
      status: 'Complete', reason: 'Succeeded', message: 'All 4 rank(s) on 2 container(s) exited with code 0.', exitCode: 0, failedRank: null,
    });
  });

  it('the first failure by engine time names rank, node and container; ranks its launcher or our stop ended are Cancelled', () => {
    const stop: StopRecord = { reason: 'rank-failed', at: 20, rank: 3 };
    const nodes = [node([exit(143, 25), exit(143, 25)]), node([exit(143, 12), exit(3, 10)], { stopping: { at: 11, why: 'rank-failed' } })];
    expect(firstFailure(nodes, 2, stop)?.globalRank).toBe(3);
    expect(outcomeOf(nodes, stop, ctx)).toEqual({
      status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 3,
      message: 'rank 3 (node 1, local rank 1, container kfd-j-node-1) exited with code 3 first; the other ranks were stopped.',
    });
    expect(rankInfos(nodes, 2, stop).map((r) => `${r.globalRank}:${r.status}:${r.signal}`)).toEqual(['0:Cancelled:SIGTERM', '1:Cancelled:SIGTERM', '2:Cancelled:SIGTERM', '3:Failed:null']);
  });

  it('a SIGTERM nobody here sent is a failure: said so, or blamed on the engine when it went away', () => {
    const nodes = [node([exit(143, 5), exit(143, 5)], { stopping: { at: 4, why: 'cancel' } }), node([exit(0, 3), exit(0, 3)])];
    expect(outcomeOf(nodes, null, ctx).message).toBe('rank 0 (node 0, local rank 0, container kfd-j-node-0) was killed by SIGTERM (exit code 143) first: its container was stopped from outside Kubeflow Desktop (docker stop?); the other ranks were stopped.');
    expect(outcomeOf(nodes, null, { ...ctx, engineInterrupted: true })).toMatchObject({
      status: 'Failed', reason: 'EngineRestarted',
      message: 'The container engine (Docker 20.10.24 at /var/run/docker.sock) stopped or restarted while the job ran, which stopped its containers: rank 0 (node 0, local rank 0, container kfd-j-node-0) was killed by SIGTERM (exit code 143) first; the other ranks were stopped.',
    });
  });

  it('out of memory, setup failures, cancel, a lost node', () => {
    const oom = [node([exit(137, 5, { synthesized: true }), exit(137, 5, { synthesized: true })], { ended: { exitCode: 137, finishedAt: 5, oomKilled: true, error: '' } }), node([exit(0, 1), exit(0, 1)])];
    expect(outcomeOf(oom, null, { ...ctx, memoryLimit: '2Gi' }).message).toContain('was killed because its container ran out of memory (limit 2Gi); raise spec.trainer.resourcesPerNode.limits.memory');
    // Podman: the container's state says nothing; the launcher saw the rank's OOM kill.
    const podmanOom = [node([exit(137, 5), exit(143, 6, { afterStopping: true })], { stopping: { at: 5, why: 'rank-failed' } }), node([exit(0, 1), exit(0, 1)])];
    podmanOom[0]!.ranks[0]!.oomKilled = true;
    expect(outcomeOf(podmanOom, null, { ...ctx, memoryLimit: '2Gi' }).message).toContain('rank 0 (node 0, local rank 0, container kfd-j-node-0) was killed because its container ran out of memory (limit 2Gi)');
    podmanOom[0]!.ranks[0]!.oomKilled = false;
    expect(outcomeOf(podmanOom, null, ctx).message).toContain('was killed by SIGKILL (exit code 137)');
    const setup = [node([exit(4, 2, { phase: 'setup' }), exit(4, 2, { phase: 'never' })]), node([exit(0, 1), exit(0, 1)])];
    expect(outcomeOf(setup, null, ctx).message).toBe('the setup commands of node 0 (container kfd-j-node-0) exited with code 4; the other ranks were stopped.');
    const cancel: StopRecord = { reason: 'cancel', at: 10, rank: null };
    expect(outcomeOf([node([exit(143, 11), exit(143, 11)]), node([exit(143, 12), exit(0, 3)])], cancel, ctx)).toEqual({
      status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled; 3 of 4 rank(s) were stopped and every container removed.', exitCode: null, failedRank: null,
    });
    const lost = [node([exit(0, 1), exit(0, 1)]), node([null, null], { ended: null, lost: 'its container disappeared' })];
    expect(outcomeOf(lost, null, ctx)).toMatchObject({ status: 'Failed', reason: 'Lost', failedRank: 2, message: 'node 1 (container kfd-j-node-1) is lost: its container disappeared; the other ranks were stopped.' });
    expect(rankInfos(lost, 2, null).map((r) => r.status)).toEqual(['Succeeded', 'Succeeded', 'Failed', 'Failed']);
  });

  it("the failed rank's exit and its launcher's stop with one timestamp: the log's order decides, never Complete", () => {
    const one = { ...manifest, numProcPerNode: 1, nodes: manifest.nodes.slice(0, 1) };
    const tied = (afterStopping?: boolean) => [
      node([exit(127, 1795458887115.07, afterStopping === undefined ? {} : { afterStopping })], { stopping: { at: 1795458887115.07, why: 'rank-failed' }, ended: { exitCode: 1, finishedAt: 1795458887125, oomKilled: false, error: '' } }),
    ];
    for (const nodes of [tied(false), tied()]) {
      expect(outcomeOf(nodes, null, { ...ctx, manifest: one })).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 127, failedRank: 0 });
      expect(rankInfos(nodes, 1, null)[0]).toMatchObject({ status: 'Failed', exitCode: 127 });
    }
    // The rank that began our stop is its cause even when the engine's clock runs ahead of the host's.
    const skewed = [node([exit(3, 30), exit(143, 31, { afterStopping: true })], { stopping: { at: 30.5, why: 'rank-failed' } }), node([exit(143, 32), exit(143, 32)])];
    expect(outcomeOf(skewed, { reason: 'rank-failed', at: 20, rank: 0 }, ctx)).toMatchObject({ status: 'Failed', exitCode: 3, failedRank: 0 });
  });

  it("a rank whose exit the launcher never reported is never a success: the container's code, or unknown", () => {
    const ended = { exitCode: 0, finishedAt: 9, oomKilled: false, error: '' };
    const unknown = [node([exit(0, 9, { synthesized: true }), exit(0, 2)], { ended }), node([exit(0, 3), exit(0, 4)])];
    expect(outcomeOf(unknown, null, ctx)).toEqual({
      status: 'Failed', reason: 'RankFailed', exitCode: null, failedRank: 0,
      message: "rank 0 (node 0, local rank 0, container kfd-j-node-0) ended with an unknown exit code: the launcher's record of its exit is missing from the container's log, and its container exited with code 0 first; the other ranks were stopped.",
    });
    expect(rankInfos(unknown, 2, null).map((r) => `${r.status}:${r.exitCode}`)).toEqual(['Failed:null', 'Succeeded:0', 'Succeeded:0', 'Succeeded:0']);
    const killed = [node([exit(137, 9, { synthesized: true }), exit(0, 2)], { ended: { ...ended, exitCode: 137 } }), node([exit(0, 3), exit(0, 4)])];
    expect(outcomeOf(killed, null, ctx)).toMatchObject({ status: 'Failed', exitCode: 137, failedRank: 0 });
    expect(outcomeOf(killed, null, ctx).message).toContain("was killed by SIGKILL (exit code 137), its container's exit code (the launcher's record of the rank's own exit is missing from the container's log)");
    // Cancelled while a rank's end is unknown: still Cancelled, not Complete.
    expect(outcomeOf(unknown, { reason: 'cancel', at: 1, rank: null }, ctx)).toMatchObject({ status: 'Cancelled' });
  });

  it("a launcher that stopped its ranks for a failure missing from the log: Failed, not Complete", () => {
    const nodes = [node([exit(1, 9, { synthesized: true, afterStopping: true }), exit(143, 8, { afterStopping: true })], { stopping: { at: 7, why: 'rank-failed' }, ended: { exitCode: 1, finishedAt: 9, oomKilled: false, error: '' } }), node([exit(0, 3), exit(0, 4)])];
    expect(firstFailure(nodes, 2, null)).toBeNull();
    expect(outcomeOf(nodes, null, ctx)).toEqual({
      status: 'Failed', reason: 'RankFailed', exitCode: 1, failedRank: 0,
      message: "rank 0 (node 0, local rank 0, container kfd-j-node-0) ended with code 1: its node's launcher stopped the ranks because one failed, but no failed rank's exit is on record in the container's log; the container exited with code 1; the other ranks were stopped.",
    });
  });

  it('exit codes above 128 name their signal', () => {
    expect([signalOf(137), signalOf(143), signalOf(1), signalOf(0)]).toEqual(['SIGKILL', 'SIGTERM', null, null]);
  });

  it('an engine that stamps whole seconds: exits in the second of our stop count as stopped by it, not as failures or outside stops', () => {
    const at = 10_500; // our stop, host clock; the engine writes the same moment as 10_000
    const cancel: StopRecord = { reason: 'cancel', at, rank: null };
    const coarse = (exits: (RankExit | null)[]) => node(exits, { stopping: { at: 10_000, why: 'cancel' }, coarseClock: true });
    expect(outcomeOf([coarse([exit(143, 10_000), exit(143, 10_000)]), coarse([exit(143, 10_000), exit(0, 3_000)])], cancel, ctx)).toMatchObject({ status: 'Cancelled', reason: 'Cancelled' });
    // With a precise clock the same times are a SIGTERM from outside, before our stop.
    const precise = (exits: (RankExit | null)[]) => node(exits, { stopping: { at: 10_000, why: 'cancel' } });
    expect(outcomeOf([precise([exit(143, 10_000), exit(143, 10_000)]), precise([exit(143, 10_000), exit(0, 3_000)])], cancel, ctx)).toMatchObject({ status: 'Failed', reason: 'RankFailed' });
  });
});

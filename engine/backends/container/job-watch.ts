/**
 * Watches a container job through the engine and the job's record files only, so the same code
 * serves a job just started and one re-attached after an app restart. Per node: copy its log
 * until the container stops, then record how it ended. A failing rank stops every node; the end
 * removes every container and the network. When the engine itself goes away (restart, crash)
 * the watch waits for it a bounded time and never hangs: the job then ends Failed with that reason.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { BackendCallbacks, JobOutcome, RunningJob } from '../backend.js';
import { isEngineDown, waitForEngine } from './engine-connection.js';
import type { ContainerFiles, ContainerJobManifest, NodeRecord, StopReason, StopRecord } from './job-record.js';
import { readNode, readStop, writeNode, writeStop } from './job-record.js';
import { NodeLogCopier, nsToMs } from './log-copier.js';
import { firstFailure, isNodeFinished, outcomeOf, rankInfos, stoppedFromOutside } from './outcome.js';

export interface WatchOptions {
  /** How long to wait for an engine that stopped answering before the job is given up. */
  engineDownTimeoutMs: number;
  /**
   * A SIGTERM nobody here sent may be the engine shutting down (it stops its containers while
   * it still answers): the engine is watched this long before the job's end is recorded.
   */
  shutdownProbeMs?: number;
  memoryLimit?: string;
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

export function watchContainerJob(docker: Docker, manifest: ContainerJobManifest, files: ContainerFiles, callbacks: BackendCallbacks, options: WatchOptions): RunningJob {
  const { numProcPerNode } = manifest;
  const abort = new AbortController();
  let stop: StopRecord | null = readStop(files);
  let interrupted = existsSync(files.interrupted);
  let finished = false;
  let detached = false;
  let engineWait: Promise<boolean> | null = null;
  const stopAsked = new Set<number>();
  const emitted = new Map<number, string>();
  let resolveDone!: (o: JobOutcome) => void;
  const done = new Promise<JobOutcome>((r) => (resolveDone = r));

  const copiers = manifest.nodes.map((n) => {
    const copier = new NodeLogCopier(n.nodeRank, numProcPerNode, files, readNode(files, n.nodeRank, numProcPerNode), () => update());
    copier.touch();
    return copier;
  });
  const records = (): NodeRecord[] => copiers.map((c) => c.record);
  const names = manifest.nodes.map((n) => n.name);
  const ranks = (): RankInfo[] => rankInfos(records(), numProcPerNode, stop, names);

  function update(): void {
    if (finished || detached) return;
    for (const info of ranks()) {
      const key = JSON.stringify(info);
      if (emitted.get(info.globalRank) === key) continue;
      emitted.set(info.globalRank, key);
      try {
        callbacks.onRankUpdate(info);
      } catch {
        // a listener's bug must not stop the watch
      }
    }
    if (!stop) {
      const failed = firstFailure(records(), numProcPerNode, null);
      const lost = records().findIndex((n) => n.lost !== null);
      if (failed) beginStop('rank-failed', failed.globalRank);
      else if (lost >= 0) beginStop('node-lost', lost * numProcPerNode);
    }
    if (records().every(isNodeFinished)) void complete();
  }

  function beginStop(reason: StopReason, rank: number | null): void {
    if (!stop) {
      stop = { reason, at: Date.now(), rank };
      writeStop(files, stop); // a re-attached engine carries the stop on and knows why
    }
    manifest.nodes.forEach((n, i) => stopNode(i, n.containerId));
  }

  /** `docker stop`: SIGTERM to the launcher, which stops its ranks; SIGKILL after the grace period. */
  function stopNode(i: number, id: string | null): void {
    if (!id || stopAsked.has(i) || copiers[i]!.record.ended || copiers[i]!.record.lost) return;
    stopAsked.add(i);
    docker
      .getContainer(id)
      .stop({ t: Math.ceil(manifest.graceMs / 1000) + 2 })
      .catch((err: unknown) => {
        if (isEngineDown(err)) stopAsked.delete(i); // asked again once the engine is back
      });
  }

  /** One wait shared by every node; false when the engine did not come back in time. */
  function engineBack(): Promise<boolean> {
    if (!engineWait) {
      if (!interrupted) writeFileSync(files.interrupted, JSON.stringify({ at: Date.now() }));
      interrupted = true;
      stopAsked.clear();
      engineWait = waitForEngine(docker, options.engineDownTimeoutMs, abort.signal).then((back) => {
        engineWait = null;
        if (!back && !detached) giveUp();
        return back;
      });
    }
    return engineWait;
  }

  function markEnded(i: number, state: Docker.ContainerInspectInfo['State']): void {
    const record = copiers[i]!.record;
    const finishedAt = Date.parse(state.FinishedAt) || Date.now();
    record.ended = { exitCode: state.ExitCode, finishedAt, oomKilled: state.OOMKilled, error: state.Error ?? '' };
    // Ranks the launcher could not report (killed with the container, out of memory) end with the
    // container, with its exit code (0 there means unknown: outcome.ts never counts it a success).
    // Called only once the log is drained, so every "K exit" in it has been read; such an end
    // comes after everything in the log (FinishedAt has ms only and may read earlier).
    const lastLogMs = record.cursor ? nsToMs(BigInt(record.cursor.ns)) : 0;
    const ts = Math.max(finishedAt, lastLogMs);
    for (const r of record.ranks) {
      r.exit ??= { code: state.ExitCode, ts, phase: r.started ? 'main' : 'never', synthesized: true, afterStopping: record.stopping !== null };
    }
    writeNode(files, i, record);
  }

  function markLost(i: number, why: string): void {
    const record = copiers[i]!.record;
    if (record.ended) return;
    record.lost = why;
    writeNode(files, i, record);
  }

  async function runNode(i: number): Promise<void> {
    const id = manifest.nodes[i]!.containerId;
    const copier = copiers[i]!;
    if (isNodeFinished(copier.record)) return;
    if (!id) return markLost(i, 'its container was never created (the app stopped while starting the job)');
    const container = docker.getContainer(id);
    let apiErrors = 0;
    let quickEnds = 0;
    while (!finished && !detached) {
      try {
        const { State: state } = await container.inspect({ abortSignal: abort.signal });
        if (state.Status === 'created') {
          // The app stopped between creating and starting the containers: start it, or, when the
          // job is being stopped, end the node as stopped before it ran.
          if (!stop) {
            await container.start();
            continue;
          }
          await container.remove({ force: true }).catch(() => undefined);
          return markEnded(i, { ...state, ExitCode: 143, FinishedAt: new Date().toISOString(), OOMKilled: false, Error: '' });
        }
        if (state.Running && stop) stopNode(i, id);
        const followed = Date.now();
        await copier.follow(container, abort.signal); // a stopped container's log is drained and ends
        if (!state.Running) return markEnded(i, state);
        apiErrors = 0;
        // The log ended while the container ran (it just stopped, or the engine dropped it): look
        // again at once, but do not spin if an engine keeps ending the stream right away.
        quickEnds = Date.now() - followed < 500 ? quickEnds + 1 : 0;
        if (quickEnds > 1) await new Promise((r) => setTimeout(r, 200));
      } catch (err) {
        if (detached || finished) return;
        if (statusOf(err) === 404) return markLost(i, `its container ${manifest.nodes[i]!.name} disappeared before it ended (removed outside Kubeflow Desktop?)`);
        if (isEngineDown(err)) {
          if (!(await engineBack())) return;
          continue;
        }
        if (++apiErrors >= 5) return markLost(i, `the engine kept failing to report on its container: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  function giveUp(): void {
    const why = `the container engine (${manifest.engine}) stopped answering and did not come back within ${Math.round(options.engineDownTimeoutMs / 1000)} s`;
    const leftovers = `Start the engine again, then remove what is left: docker rm -f ${manifest.nodes.map((n) => n.name).join(' ')}; docker network rm ${manifest.network}.`;
    if (records().every(isNodeFinished)) {
      // Every node's end was seen before the engine went: the verdict is known, only the cleanup is not.
      const outcome = outcomeOf(records(), stop, { manifest, engineInterrupted: true, memoryLimit: options.memoryLimit });
      return finish({ ...outcome, message: `${outcome.message} ${leftovers}` });
    }
    for (let i = 0; i < copiers.length; i++) markLost(i, why);
    finish({
      status: stop?.reason === 'cancel' ? 'Cancelled' : 'Failed',
      reason: stop?.reason === 'cancel' ? 'Cancelled' : 'EngineUnavailable',
      message: `The job's state is unknown because ${why}. ${leftovers}`,
      exitCode: null,
      failedRank: null,
    });
  }

  /** Whether the engine stops answering within the probe window (it is shutting down). */
  async function engineGoingDown(): Promise<boolean> {
    const deadline = Date.now() + (options.shutdownProbeMs ?? 3000);
    while (Date.now() < deadline && !detached) {
      const up = await Promise.race([docker.ping().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref())]);
      if (!up) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  let completing = false;
  async function complete(): Promise<void> {
    if (finished || completing) return;
    completing = true;
    const externalStop = records().some((n) => stoppedFromOutside(n, stop));
    if (!interrupted && externalStop && (await engineGoingDown())) await engineBack(); // not back: giveUp() finished the job
    if (finished || detached) return;
    finished = true;
    const outcome = outcomeOf(records(), stop, { manifest, engineInterrupted: interrupted, memoryLimit: options.memoryLimit });
    await removeAll(docker, manifest).catch(() => undefined);
    finish(outcome, false);
  }

  function finish(outcome: JobOutcome, emit = true): void {
    finished = true;
    if (emit) for (const info of ranks()) callbacks.onRankUpdate(info);
    abort.abort();
    for (const c of copiers) c.close();
    resolveDone(outcome);
  }

  update();
  if (stop && !finished) beginStop(stop.reason, stop.rank); // re-attached in the middle of a stop
  // A node that ended (or was lost) may have failed the job: every end is checked at once.
  manifest.nodes.forEach((_, i) => {
    void runNode(i)
      .catch((err: unknown) => markLost(i, `watching its container failed: ${(err as Error).message}`))
      .finally(update);
  });

  return {
    done,
    ranks,
    async cancel() {
      if (!finished && !detached) beginStop('cancel', null);
      if (!detached) await done;
    },
    detach() {
      detached = true;
      abort.abort();
      for (const c of copiers) c.close();
    },
  };
}

/** Removes every container and the network of a job; a part already gone is fine. */
export async function removeAll(docker: Docker, manifest: Pick<ContainerJobManifest, 'nodes' | 'network'>): Promise<void> {
  const ignoreGone = (err: unknown) => {
    if (statusOf(err) !== 404) throw err;
  };
  await Promise.all(manifest.nodes.map((n) => (n.containerId ? docker.getContainer(n.containerId).remove({ force: true }).catch(ignoreGone) : undefined)));
  await docker.getNetwork(manifest.network).remove().catch(ignoreGone);
}

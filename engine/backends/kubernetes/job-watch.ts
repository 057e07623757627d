/**
 * Follows one kubernetes job on its cluster: watches the TrainJob, its pods (JobSet labels them
 * with the TrainJob's name) and the namespace's events about them; reports one rank per node,
 * says why nodes are pending, streams each node's pod log into its rank file, and ends with the
 * TrainJob's outcome. Cancel deletes the TrainJob with foreground propagation, so the garbage
 * collector removes the JobSet, Jobs, pods and the shipped ConfigMap before the TrainJob goes.
 */
import type { RankInfo } from '../../api/schemas/jobs.js';
import type { ClusterJobState } from '../../api/schemas/kubernetes.js';
import type { BackendCallbacks, JobOutcome, RunningJob } from '../backend.js';
import { belongsToJob, clusterState } from './cluster-state.js';
import { kubeFiles, markCancelled, wasCancelled, writeState, type KubeJobRecord } from './job-record.js';
import { describeKubeError, KubeError, type KubeClient } from './kube-client.js';
import type { EventObject, PodObject, TrainJobObject } from './kube-types.js';
import { ListWatch } from './list-watch.js';
import { JOBSET_NAME_LABEL, logsAvailable, podEnded, podsByNode, rankFromPod } from './node-ranks.js';
import { PodLogCopier } from './pod-log-copier.js';
import { JOB_ID_LABEL } from './manifest-adapt.js';
import { mapTrainJob } from './status-mapping.js';

export interface KubeWatchOptions {
  /** How long cancel waits for the foreground deletion to finish before reporting Cancelled anyway. */
  cancelWaitMs?: number;
  /** A pod that ended but whose log stream stays open (kwok never closes it) is cut after this much quiet. */
  logQuietMs?: number;
}

export interface KubeRunningJob extends RunningJob {
  state(): ClusterJobState;
  /** Resolves once the first lists answered (or failed). */
  readonly synced: Promise<void>;
}

interface Stream {
  podUid: string;
  abort: AbortController;
  done: Promise<void>;
  lastData: number;
  ended: boolean;
}

const TRAINJOBS = (ns: string) => `/apis/trainer.kubeflow.org/v1alpha1/namespaces/${encodeURIComponent(ns)}/trainjobs`;

export function watchKubeJob(client: KubeClient, record: KubeJobRecord, jobDir: string, callbacks: BackendCallbacks, options: KubeWatchOptions = {}): KubeRunningJob {
  const cancelWaitMs = options.cancelWaitMs ?? 60_000;
  const logQuietMs = options.logQuietMs ?? 1500;
  const files = kubeFiles(jobDir);
  const ns = record.namespace;
  let finished = false;
  let cancelling = false;
  let lastMessage = '';
  let lastStateWrite = 0;
  let unreachable: string | null = null;
  // What was last reported per node; nodes not reported yet count as Pending (so a re-attach
  // never mistakes "not seen yet" for "ended").
  const ranks = new Map<number, RankInfo>();
  const allRanks = () => Array.from({ length: record.numNodes }, (_, n) => ranks.get(n) ?? rankFromPod(n, undefined));
  const copiers = new Map<number, PodLogCopier>();
  const streams = new Map<number, Stream>();
  let resolveDone!: (o: JobOutcome) => void;
  const done = new Promise<JobOutcome>((r) => (resolveDone = r));

  let scheduled = false;
  const changed = () => {
    if (scheduled || finished) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      update();
    });
  };
  const onError = (err: unknown) => {
    const why = describeKubeError(err, client.server);
    unreachable = why;
    if (finished) return;
    if (err instanceof KubeError && err.status === 403) message(`Cannot follow this job on ${record.context} (retrying): ${why}`);
    else message(`Lost contact with ${record.context} (retrying): ${why}`);
  };
  // Found by our job-id label (as after a restart), the name double-checks it is the one we applied.
  const tjs = new ListWatch<TrainJobObject>(client, TRAINJOBS(ns), {
    labelSelector: `${JOB_ID_LABEL}=${record.jobId}`,
    keep: ((t: TrainJobObject) => t.metadata.name === record.trainJobName) as (o: never) => boolean,
    onChange: changed,
    onError,
  });
  const pods = new ListWatch<PodObject>(client, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: `${JOBSET_NAME_LABEL}=${record.trainJobName}`, onChange: changed, onError });
  const events = new ListWatch<EventObject>(client, `/api/v1/namespaces/${encodeURIComponent(ns)}/events`, {
    onChange: changed,
    onError: () => undefined, // events are extra: the job does not depend on them
    keep: ((e: EventObject) => belongsToJob(e, record.trainJobName)) as (o: never) => boolean,
  });
  const synced = Promise.all([tjs.start(), pods.start(), events.start()]).then(() => changed());

  function message(text: string): void {
    if (text === lastMessage) return;
    lastMessage = text;
    callbacks.onMessage?.(text);
  }

  function current(live: boolean): ClusterJobState {
    return clusterState(record, tjs.items()[0] ?? null, pods.items(), events.items(), live);
  }

  function saveState(force = false): void {
    if (!force && Date.now() - lastStateWrite < 1000) return;
    lastStateWrite = Date.now();
    try {
      writeState(jobDir, current(false));
    } catch {
      /* the job dir went away (job deleted): nothing to keep */
    }
  }

  function setRank(rank: RankInfo): void {
    const have = ranks.get(rank.globalRank);
    if (have && have.status === rank.status && have.exitCode === rank.exitCode) return;
    ranks.set(rank.globalRank, rank);
    callbacks.onRankUpdate(rank);
  }

  function stream(node: number, pod: PodObject): void {
    const uid = pod.metadata.uid ?? pod.metadata.name;
    const have = streams.get(node);
    if (have && (have.podUid === uid || !have.ended)) {
      if (have.podUid !== uid && !have.ended) have.abort.abort(); // a newer pod replaced this node's
      return;
    }
    let copier = copiers.get(node);
    if (!copier) {
      copier = new PodLogCopier(files.rankLog(node), files.logCursor(node));
      copiers.set(node, copier);
    }
    const abort = new AbortController();
    const s: Stream = { podUid: uid, abort, lastData: Date.now(), ended: false, done: Promise.resolve() };
    const c = copier;
    const run = async () => {
      let failuresAfterEnd = 0;
      for (let attempt = 0; !abort.signal.aborted && !finished; attempt++) {
        let ok = true;
        try {
          await c.follow(client, ns, { name: pod.metadata.name, uid }, abort.signal);
        } catch {
          ok = false; // not readable yet, or the connection broke: retried while the pod is there
        }
        if (abort.signal.aborted) break;
        const latest = pods.items().find((p) => (p.metadata.uid ?? p.metadata.name) === uid);
        if (!latest) break;
        // A stream that ends by itself after the pod ended has all of it (a real kubelet ends it when the container exits).
        if (podEnded(latest) && (ok || ++failuresAfterEnd >= 3)) break;
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** Math.min(attempt, 4), 5000)));
      }
      s.ended = true;
    };
    s.done = run();
    streams.set(node, s);
  }

  /** A pod that ended has its stream cut after a quiet spell (kwok's never closes); resolves when all streams ended. */
  async function drain(maxMs = 10_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    for (;;) {
      const open = [...streams.values()].filter((s) => !s.ended);
      if (!open.length) return;
      const sizes = [...copiers.values()].map((c) => c.bytesWritten());
      await new Promise((r) => setTimeout(r, Math.min(logQuietMs, 250)));
      const grew = [...copiers.values()].some((c, i) => c.bytesWritten() !== sizes[i]);
      if (grew) for (const s of open) s.lastData = Date.now();
      for (const s of open) if (Date.now() - s.lastData >= logQuietMs || Date.now() >= deadline) s.abort.abort();
      if (Date.now() >= deadline + 1000) return;
    }
  }

  async function finish(outcome: JobOutcome): Promise<void> {
    if (finished) return;
    finished = true;
    await drain();
    tjs.stop();
    pods.stop();
    events.stop();
    for (const s of streams.values()) s.abort.abort();
    await Promise.all([...streams.values()].map((s) => s.done));
    for (const c of copiers.values()) c.close();
    saveState(true);
    resolveDone(outcome);
  }

  function update(): void {
    if (finished || !tjs.synced) return;
    if (unreachable && tjs.synced) unreachable = null;
    const tj = tjs.items()[0] ?? null;
    const all = pods.items();
    const byNode = podsByNode(all);
    for (let n = 0; n < record.numNodes; n++) setRank(rankFromPod(n, byNode.get(n), cancelling && !byNode.get(n)));
    for (const [n, pod] of byNode) if (logsAvailable(pod)) stream(n, pod);
    saveState();
    if (!tj) {
      const cancelled = cancelling || wasCancelled(jobDir);
      for (const r of allRanks()) if (r.status === 'Pending' || r.status === 'Running') setRank({ ...r, status: 'Cancelled' });
      void finish(
        cancelled
          ? { status: 'Cancelled', reason: 'Cancelled', message: 'Cancelled: the TrainJob was deleted with foreground propagation, and with it its JobSet, Jobs, pods and shipped workspace.', exitCode: null, failedRank: null }
          : { status: 'Failed', reason: 'Deleted', message: `The TrainJob ${record.trainJobName} is gone from ${record.context}/${ns}: it was deleted outside the app.`, exitCode: null, failedRank: null },
      );
      return;
    }
    const view = mapTrainJob(tj, all, events.items());
    if (view.phase === 'Complete') {
      void finish({ status: 'Complete', reason: 'Succeeded', message: view.message, exitCode: 0, failedRank: null });
    } else if (view.phase === 'Failed') {
      void finish({ status: 'Failed', reason: view.reason, message: view.message, exitCode: view.exitCode, failedRank: view.failedRank });
    } else if (!cancelling) {
      // Pods this user cannot list: the nodes run as far as Trainer's jobsStatus says.
      if (view.phase === 'Running' && !pods.synced) for (let n = 0; n < record.numNodes; n++) setRank({ ...rankFromPod(n, undefined), status: 'Running' });
      message(view.message);
    }
  }

  async function cancel(): Promise<void> {
    if (finished) return;
    cancelling = true;
    markCancelled(jobDir);
    message(`Cancelling: deleting TrainJob ${record.trainJobName} (foreground: its pods go first).`);
    try {
      const existed = await client.delete({ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: { name: record.trainJobName, namespace: ns } }, 'Foreground');
      if (!existed) changed();
    } catch (err) {
      cancelling = false;
      message(`Cancel failed: ${describeKubeError(err, client.server)}`);
      throw err;
    }
    const timer = setTimeout(() => {
      for (const r of allRanks()) if (r.status === 'Pending' || r.status === 'Running') setRank({ ...r, status: 'Cancelled' });
      void finish({ status: 'Cancelled', reason: 'Cancelled', message: `Cancelled: deletion of TrainJob ${record.trainJobName} was requested; the cluster is still removing its pods (foreground deletion).`, exitCode: null, failedRank: null });
    }, cancelWaitMs);
    timer.unref();
    await done;
    clearTimeout(timer);
  }

  return {
    done,
    synced,
    ranks: allRanks,
    cancel,
    state: () => current(!finished),
    detach() {
      finished = true;
      tjs.stop();
      pods.stop();
      events.stop();
      for (const s of streams.values()) s.abort.abort();
      for (const c of copiers.values()) c.close();
    },
  };
}

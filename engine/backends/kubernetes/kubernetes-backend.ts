/**
 * The kubernetes backend: the job's TrainJob itself, applied server-side (field manager
 * kubeflow-desktop) to a target — a kubeconfig context or the app's local kind cluster — with the
 * workspace shipped as submission-plan.ts decided. The record under `<jobDir>/kubernetes/` is
 * written before anything is applied, so a restarted engine finds the job again by name.
 */
import type { ClusterJobState } from '../../api/schemas/kubernetes.js';
import { ApiError } from '../../api/api-error.js';
import { NO_KUBE_TARGET } from '../../workspace/run-targets.js';
import type { Backend, BackendCallbacks, JobLaunch, JobOutcome, Placement, RunningJob } from '../backend.js';
import { ImageShippingCancelled } from './image-progress.js';
import type { ImageDeliveryDeps } from './image-ship.js';
import { readRecord, readState, writeRecord, type KubeJobRecord } from './job-record.js';
import { watchKubeJob, type KubeRunningJob, type KubeWatchOptions } from './job-watch.js';
import { describeKubeError, KubeError, type KubeClient } from './kube-client.js';
import type { TargetSource } from './kubeconfig-targets.js';
import type { KubernetesTargets } from './kubernetes-targets.js';
import { planSubmission, type SubmissionPlan } from './submission-plan.js';
import { workspaceConfigMap } from './shipping.js';

export interface KubernetesBackendOptions extends KubeWatchOptions {
  targets: KubernetesTargets;
  /** Image builds (shipping: image) on the local container engine. */
  images?: ImageDeliveryDeps;
  /** How long start/reattach wait for the first cluster answer before returning. */
  syncWaitMs?: number;
}

export interface KubernetesBackend extends Backend {
  target(placement?: Placement): Promise<string>;
  /** The cluster view of a job: live when this engine watches it, else what it last saw. */
  clusterState(jobId: string, jobDir: string): ClusterJobState | null;
  /** The target a placement resolves to (default: the kubeconfig's current context). */
  resolvePlacement(placement?: Placement): Promise<{ source: TargetSource; namespace: string }>;
}

/** The workspace could not be shipped (image build, push, kind load): not a cluster error. */
class ShippingError extends Error {}

const ended = (outcome: JobOutcome): RunningJob => ({ done: Promise.resolve(outcome), ranks: () => [], cancel: async () => {}, detach: () => {} });
const startFailed = (message: string) => ended({ status: 'Failed', reason: 'StartFailed', message, exitCode: null, failedRank: null });
/** Resolves (with nothing) once `signal` aborts. */
const untilAborted = (signal: AbortSignal) => new Promise<null>((resolve) => (signal.aborted ? resolve(null) : signal.addEventListener('abort', () => resolve(null), { once: true })));
const cancelledBefore = (message: string) => ended({ status: 'Cancelled', reason: 'Cancelled', message, exitCode: null, failedRank: null });

export function createKubernetesBackend(options: KubernetesBackendOptions): KubernetesBackend {
  const { targets } = options;
  const syncWaitMs = options.syncWaitMs ?? 5000;
  const watched = new Map<string, KubeRunningJob>();

  async function resolvePlacement(placement: Placement = {}): Promise<{ source: TargetSource; namespace: string }> {
    let ref = placement.target;
    if (!ref) {
      const all = await targets.sources();
      const current = all.sources.find((s) => s.current) ?? (all.sources.length === 1 ? all.sources[0] : undefined);
      if (!all.sources.length) throw new ApiError('unavailable', NO_KUBE_TARGET);
      if (!current) {
        throw new ApiError('bad_request', `The kubernetes backend needs a target: pass --context <context> (one of ${all.sources.map((s) => s.context.name).join(', ')}; \`kfd targets\` lists them).`);
      }
      ref = current.id;
    }
    const source = await targets.resolve(ref);
    return { source, namespace: placement.namespace ?? targets.namespaceOf(source).namespace };
  }

  async function watch(jobId: string, client: KubeClient, record: KubeJobRecord, jobDir: string, callbacks: BackendCallbacks): Promise<KubeRunningJob> {
    const job = watchKubeJob(client, record, jobDir, callbacks, options);
    watched.set(jobId, job);
    void job.done.finally(() => watched.delete(jobId));
    await Promise.race([job.synced, new Promise((r) => setTimeout(r, syncWaitMs).unref())]);
    return { ...job, detach: () => (watched.delete(jobId), job.detach()) };
  }

  /**
   * Ships the workspace and applies the TrainJob. A cancel (launch.signal) stops it before each
   * step; once the TrainJob is applied the job service's cancel deletes it like any running job.
   */
  async function apply(client: KubeClient, plan: SubmissionPlan, record: KubeJobRecord, launch: JobLaunch, namespace: string, source: TargetSource, callbacks: BackendCallbacks): Promise<void> {
    const { jobDir, jobId, job, signal } = launch;
    if (source.kind === 'local-cluster') {
      // The user's own local cluster: a missing namespace is created rather than refused.
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    if (plan.image) {
      if (!options.images) throw new Error('shipping by image needs a container engine, and none is configured for this engine');
      try {
        // Loaded when needed: image builds are rare and pull in the process-running helpers.
        const { deliverWorkspaceImage } = await import('./image-ship.js');
        await deliverWorkspaceImage(options.images, {
          build: plan.image,
          workspace: plan.workspace,
          listing: plan.listing,
          clusterName: source.record?.name ?? null,
          jobId,
          signal,
          onMessage: (m) => callbacks.onMessage?.(m),
          onProgress: (p) => callbacks.onProgress?.(p),
        });
      } catch (err) {
        if (err instanceof ImageShippingCancelled) throw err;
        throw new ShippingError(`Shipping the workspace image ${plan.image.tag} failed: ${(err as { json?: { message?: string } }).json?.message ?? (err as Error).message}`);
      }
    }
    signal?.throwIfAborted();
    const cm = plan.configMapName && plan.archive ? { name: plan.configMapName, namespace, jobId, archive: plan.archive.bytes, sha256: plan.archive.sha256 } : null;
    if (cm) {
      callbacks.onMessage?.(`Shipping the workspace: ${plan.listing.files.length} files, ${plan.archive!.bytes.length.toLocaleString('en-US')} bytes compressed, in ConfigMap ${cm.name}.`);
      await client.apply(workspaceConfigMap(cm) as never, { force: true });
      signal?.throwIfAborted();
    }
    const applied = await client.apply<{ metadata: { uid: string } }>(plan.trainJob as never, { force: true });
    record.uid = applied.metadata.uid;
    writeRecord(jobDir, record);
    // Owned by the TrainJob from now on: deleting the TrainJob deletes the archive.
    if (cm) await client.apply(workspaceConfigMap({ ...cm, owner: { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', name: plan.name, uid: applied.metadata.uid } }) as never, { force: true });
    callbacks.onMessage?.(`Submitted TrainJob ${plan.name} to ${source.context.name}/${namespace} (${job.spec.runtimeRef.name}).`);
  }

  async function start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<RunningJob> {
    const { signal } = launch;
    let source: TargetSource;
    let namespace: string;
    try {
      ({ source, namespace } = await resolvePlacement(launch.placement));
    } catch (err) {
      return startFailed((err as Error).message);
    }
    const notSubmitted = `nothing was submitted to ${source.context.name}/${namespace}`;
    callbacks.onMessage?.(`Asking ${source.context.name} what it runs…`);
    // A cluster that is slow to answer does not hold a cancel up: the probe is left to finish alone.
    const probe = await Promise.race([targets.freshProbe(source, namespace), ...(signal ? [untilAborted(signal)] : [])]);
    if (!probe || signal?.aborted) return cancelledBefore(`Cancelled before it was submitted; ${notSubmitted}.`);
    let plan: SubmissionPlan;
    try {
      plan = await planSubmission({ jobId: launch.jobId, job: launch.job, workspace: launch.workspace, source, namespace, probe, requested: launch.placement?.shipping ?? 'auto', registry: targets.registryOf(source), ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) return cancelledBefore(`Cancelled while preparing the workspace; ${notSubmitted}.`);
      return startFailed(`Preparing the workspace failed: ${(err as Error).message}`);
    }
    if (signal?.aborted) return cancelledBefore(`Cancelled before it was submitted; ${notSubmitted}.`);
    if (plan.refusal || !plan.trainJob) return startFailed(plan.refusal ?? 'The TrainJob could not be prepared.');
    const record: KubeJobRecord = {
      version: 1,
      jobId: launch.jobId,
      targetId: source.id,
      context: source.context.name,
      namespace,
      trainJobName: plan.name,
      uid: null,
      shipping: plan.choice.mode,
      applied: [...(plan.configMapName ? [{ apiVersion: 'v1', kind: 'ConfigMap', name: plan.configMapName }] : []), { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', name: plan.name }],
      numNodes: launch.numNodes,
      createdAt: Date.now(),
    };
    writeRecord(launch.jobDir, record);
    const client = await targets.client(source);
    try {
      await apply(client, plan, record, launch, namespace, source, callbacks);
    } catch (err) {
      // Nothing half-applied is left behind: the ConfigMap without its TrainJob would be an orphan.
      if (plan.configMapName && !record.uid) await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: plan.configMapName, namespace } }).catch(() => undefined);
      if (err instanceof ImageShippingCancelled) return cancelledBefore(err.message);
      if (signal?.aborted && !record.uid) return cancelledBefore(`Cancelled while submitting; ${notSubmitted}.`);
      const why = err instanceof KubeError || err instanceof ShippingError ? err.message : describeKubeError(err, source.cluster.server);
      return startFailed(`Submitting to ${source.context.name}/${namespace} failed: ${why}`);
    }
    return watch(launch.jobId, client, record, launch.jobDir, callbacks);
  }

  async function reattach(jobId: string, jobDir: string, callbacks: BackendCallbacks): Promise<RunningJob> {
    const record = readRecord(jobDir);
    if (!record || record.jobId !== jobId) return ended({ status: 'Failed', reason: 'Lost', message: `No record of this job's TrainJob in ${jobDir}: the app stopped before submitting it.`, exitCode: null, failedRank: null });
    let source: TargetSource;
    try {
      source = await targets.resolve(record.targetId);
    } catch {
      return ended({ status: 'Failed', reason: 'Lost', message: `The target ${record.context} is no longer in the kubeconfig, so TrainJob ${record.trainJobName} in ${record.namespace} cannot be followed; check it with kubectl.`, exitCode: null, failedRank: null });
    }
    const client = await targets.client(source);
    if (!record.uid) {
      // The app stopped while submitting: the TrainJob was applied or not.
      const tj = await client.find<{ metadata: { uid: string } }>(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/${record.namespace}/trainjobs/${record.trainJobName}`).catch(() => undefined);
      if (tj === null) return startFailed('The app stopped while submitting this job; the TrainJob was never created.');
      if (tj) writeRecord(jobDir, { ...record, uid: tj.metadata.uid });
    }
    return watch(jobId, client, readRecord(jobDir) ?? record, jobDir, callbacks);
  }

  return {
    id: 'kubernetes',
    start,
    reattach,
    resolvePlacement,
    async target(placement) {
      const { source, namespace } = await resolvePlacement(placement);
      return `${source.context.name}/${namespace}`;
    },
    placementOf(jobDir) {
      const r = readRecord(jobDir);
      return r ? { target: r.targetId, namespace: r.namespace, shipping: r.shipping } : null;
    },
    clusterState(jobId, jobDir) {
      return watched.get(jobId)?.state() ?? readState(jobDir);
    },
  };
}

/**
 * Everything that will be applied for one kubernetes job, decided before anything is applied:
 * the shipping mode, the workspace files (and archive), the adapted TrainJob, the ConfigMap, the
 * image to build, notes and a refusal. The promote preview and the backend's submit both call
 * this with the same job id, so the preview shows exactly what is applied.
 */
import { realpath } from 'node:fs/promises';
import type { SpecIssue } from '../../api/schemas/jobs.js';
import type { ShippingMode, TargetProbe, TrainerApi } from '../../api/schemas/kubernetes.js';
import { GPU_RESOURCE, quantityCeil, unsupportedFields, type TrainJob } from '../../jobs/trainjob/index.js';
import type { TargetSource } from './kubeconfig-targets.js';
import { adaptTrainJob, AdaptError, clusterName, type ShipPlan } from './manifest-adapt.js';
import { runtimeRefusal } from './probe.js';
import { archiveConfigMapName, chooseShipping, configMapSizeCheck, isUnder, type ShippingChoice } from './shipping.js';
import { trainerVersionFor } from './trainer-api.js';
import { archiveWorkspace, type WorkspaceArchive } from './workspace-archive.js';
import { listWorkspaceFiles, type WorkspaceListing } from './workspace-files.js';

export interface PlanInput {
  jobId: string;
  job: TrainJob;
  workspace: string;
  source: TargetSource;
  namespace: string;
  probe: TargetProbe;
  requested: 'auto' | ShippingMode;
  registry: string | null;
  /** Stops building the archive (a submit that was cancelled). */
  signal?: AbortSignal;
}

export interface ImageBuild {
  base: string;
  tag: string;
  /** Remote targets push to the registry; a local kind cluster gets the image by `kind load`. */
  delivery: 'push' | 'kind-load';
}

export interface SubmissionPlan {
  api: TrainerApi;
  /** The workspace's real path (symlinks resolved). */
  workspace: string;
  trainJob: Record<string, unknown> | null;
  name: string;
  ship: ShipPlan | null;
  choice: ShippingChoice;
  listing: WorkspaceListing;
  archive: WorkspaceArchive | null;
  configMapName: string | null;
  image: ImageBuild | null;
  notes: string[];
  specWarnings: SpecIssue[];
  /** Why this cannot be submitted; null = ready. */
  refusal: string | null;
}

function gpusPerNode(job: TrainJob): number {
  const r = job.spec.trainer?.resourcesPerNode;
  return quantityCeil(r?.limits?.[GPU_RESOURCE] ?? r?.requests?.[GPU_RESOURCE] ?? 0) ?? 0;
}

/** An image reference for the workspace image of this job. */
export function workspaceImageTag(name: string, jobId: string, registry: string | null): string {
  const repo = `kubeflow-desktop/${name.replace(/-[0-9a-z]{9}-[0-9a-f]{3}$/, '')}`;
  return `${registry ? `${registry.replace(/\/+$/, '')}/` : 'kfd.local/'}${repo}:${jobId}`;
}

export async function planSubmission(input: PlanInput): Promise<SubmissionPlan> {
  const { jobId, job, source, namespace, probe, requested, registry } = input;
  const notes: string[] = [];
  const api: TrainerApi = probe.trainer.api ?? 'v2.2+';
  if (probe.trainer.installed && !probe.trainer.api) notes.push('The Trainer API version could not be read; the manifest is written for Trainer v2.2+.');
  const name = clusterName(job.metadata.name, jobId);
  const workspace = await realpath(input.workspace);
  const listing = await listWorkspaceFiles(workspace);
  const localCluster = source.kind === 'local-cluster';
  const specWarnings = unsupportedFields(job, 'kubernetes', { trainerVersion: trainerVersionFor(api) });
  const base: Omit<SubmissionPlan, 'choice' | 'refusal'> = { api, workspace, trainJob: null, name, ship: null, listing, archive: null, configMapName: null, image: null, notes, specWarnings };

  let refusal = runtimeRefusal(probe, source.context.name, job.spec.runtimeRef, namespace);
  if (!refusal && probe.namespaceExists === false && !localCluster) {
    refusal = `Namespace ${namespace} does not exist on ${source.context.name}. Create it (kubectl create namespace ${namespace}) or choose another namespace.`;
  }
  const gpus = gpusPerNode(job);
  if (gpus > 0 && probe.gpus && probe.gpus.allocatable === 0) {
    notes.push(`The job asks for ${gpus} ${GPU_RESOURCE} per node, but no node of ${source.context.name} offers any (${probe.gpus.nodes} nodes): its pods will stay Pending until one does.`);
  }
  if (probe.namespaceExists === false && localCluster) notes.push(`Namespace ${namespace} does not exist on the local cluster yet; it is created on submit.`);

  // The archive decides between ConfigMap and image for a remote target, so it is built first there.
  const root = source.record?.workspaceRoot ?? null;
  const mounted = localCluster && root !== null && isUnder(workspace, root);
  const needArchive = requested === 'configMap' || (requested === 'auto' && !mounted);
  const archive = needArchive ? await archiveWorkspace(workspace, listing, input.signal ? { signal: input.signal } : {}) : null;
  const choice = chooseShipping({ requested, localCluster, workspace, workspaceRoot: root, archiveBytes: archive?.bytes.length ?? null, registry });
  refusal ??= choice.refusal;
  if (!refusal && choice.mode === 'configMap' && archive) refusal = configMapSizeCheck(archive.bytes.length, listing.files.length, listing.totalBytes);
  if (listing.symlinks.length && choice.mode !== 'hostPath') notes.push(`Symbolic links are not shipped: ${listing.symlinks.slice(0, 5).join(', ')}${listing.symlinks.length > 5 ? ', …' : ''}.`);

  let ship: ShipPlan;
  let image: ImageBuild | null = null;
  if (choice.mode === 'hostPath') ship = { mode: 'hostPath', hostPath: workspace };
  else if (choice.mode === 'configMap') ship = { mode: 'configMap', configMap: archiveConfigMapName(name) };
  else {
    const baseImage = job.spec.trainer?.image;
    if (!baseImage) refusal ??= 'Shipping the workspace in an image needs spec.trainer.image (the base image it is built on); set it, or pass an image.';
    image = { base: baseImage ?? '', tag: workspaceImageTag(name, jobId, localCluster ? null : registry), delivery: localCluster ? 'kind-load' : 'push' };
    ship = { mode: 'image', image: image.tag };
  }

  let trainJob: Record<string, unknown> | null = null;
  try {
    const adapted = adaptTrainJob({ job, jobId, namespace, api, ship });
    trainJob = adapted.manifest;
    notes.push(...adapted.notes);
  } catch (err) {
    if (!(err instanceof AdaptError)) throw err;
    refusal ??= err.message;
  }
  return {
    ...base,
    trainJob,
    ship,
    choice,
    archive: choice.mode === 'configMap' ? archive : null,
    configMapName: choice.mode === 'configMap' ? archiveConfigMapName(name) : null,
    image,
    refusal,
  };
}

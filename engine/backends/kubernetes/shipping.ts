/**
 * How a workspace gets to the cluster (pure decisions). A local kind cluster mounts the host's
 * workspace root into every node at the same path, so a workspace under it is used in place
 * (hostPath: edit and re-run, nothing copied). Elsewhere the workspace travels as a gzipped tar
 * in a ConfigMap owned by the TrainJob (deleted with it), which the API server caps at 1 MiB;
 * bigger workspaces go into an image built on top of spec.trainer.image.
 */
import path from 'node:path';
import type { ShippingMode } from '../../api/schemas/kubernetes.js';
import { ARCHIVE_KEY, FIELD_MANAGER, JOB_ID_LABEL, MANAGED_BY_LABEL } from './manifest-adapt.js';

/** The API server's limit on a ConfigMap's data + binaryData (corev1.MaxSecretSize, 1 MiB). */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

const fmt = (n: number) => n.toLocaleString('en-US');

export function tooLargeMessage(archiveBytes: number, files: number, totalBytes: number): string {
  return (
    `The workspace archive is ${fmt(archiveBytes)} bytes (gzip of ${fmt(files)} files, ${fmt(totalBytes)} bytes), ` +
    `but a ConfigMap holds at most ${fmt(CONFIGMAP_LIMIT_BYTES)} bytes. List large files (data, checkpoints) in .kfdignore, ` +
    'or ship the workspace in an image (shipping: image, with an image registry set for this target).'
  );
}

/** null when it fits, else the refusal. */
export function configMapSizeCheck(archiveBytes: number, files: number, totalBytes: number): string | null {
  return archiveBytes > CONFIGMAP_LIMIT_BYTES ? tooLargeMessage(archiveBytes, files, totalBytes) : null;
}

/** True when `workspace` is `root` or inside it (both absolute, symlinks already resolved). */
export function isUnder(workspace: string, root: string): boolean {
  const rel = path.relative(root, workspace);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface ShippingChoice {
  mode: ShippingMode;
  /** Why this mode (auto), or why the requested one cannot be used (refusal set). */
  why: string;
  refusal: string | null;
}

/** Picks the mode; `archiveBytes` is only needed for auto on a remote target. */
export function chooseShipping(input: {
  requested: 'auto' | ShippingMode;
  localCluster: boolean;
  workspace: string;
  workspaceRoot: string | null;
  archiveBytes: number | null;
  registry: string | null;
}): ShippingChoice {
  const { requested, localCluster, workspace, workspaceRoot, archiveBytes, registry } = input;
  const mounted = localCluster && workspaceRoot !== null && isUnder(workspace, workspaceRoot);
  const notMounted = localCluster
    ? workspaceRoot
      ? `${workspace} is not under ${workspaceRoot}, the folder mounted into the local cluster's nodes`
      : 'the local cluster was created without a workspace mount'
    : 'only a local cluster mounts this machine\'s folders';
  const imageRefusal = localCluster || registry ? null : 'no image registry is set for this target; set one (targets.setImageRegistry, or kfd promote --registry) so the cluster can pull the image';
  if (requested === 'hostPath') {
    return mounted ? { mode: 'hostPath', why: `workspace mounted from ${workspace}`, refusal: null } : { mode: 'hostPath', why: '', refusal: `Cannot use hostPath: ${notMounted}.` };
  }
  if (requested === 'configMap') return { mode: 'configMap', why: 'requested', refusal: null };
  if (requested === 'image') return { mode: 'image', why: 'requested', refusal: imageRefusal && `Cannot ship by image: ${imageRefusal}.` };
  if (mounted) return { mode: 'hostPath', why: `workspace mounted from ${workspace} (under the cluster's ${workspaceRoot})`, refusal: null };
  if (archiveBytes === null || archiveBytes <= CONFIGMAP_LIMIT_BYTES) return { mode: 'configMap', why: `${notMounted}, so the workspace is shipped as an archive in a ConfigMap`, refusal: null };
  return {
    mode: 'image',
    why: `the archive is over the ConfigMap limit (${fmt(archiveBytes)} > ${fmt(CONFIGMAP_LIMIT_BYTES)} bytes), so the workspace is built into an image`,
    refusal: imageRefusal && `The workspace archive is ${fmt(archiveBytes)} bytes, over the ${fmt(CONFIGMAP_LIMIT_BYTES)}-byte ConfigMap limit, and ${imageRefusal}. Or list large files in .kfdignore.`,
  };
}

export function archiveConfigMapName(trainJobName: string): string {
  return `${trainJobName}-workspace`;
}

/** The ConfigMap with the archive; `owner` (the applied TrainJob) makes the TrainJob's deletion delete it. */
export function workspaceConfigMap(input: {
  name: string;
  namespace: string;
  jobId: string;
  archive: Buffer;
  sha256: string;
  owner?: { apiVersion: string; kind: string; name: string; uid: string };
}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { [JOB_ID_LABEL]: input.jobId, [MANAGED_BY_LABEL]: FIELD_MANAGER },
      annotations: { 'kubeflow-desktop/archive-sha256': input.sha256 },
      ...(input.owner ? { ownerReferences: [{ ...input.owner, controller: false, blockOwnerDeletion: true }] } : {}),
    },
    binaryData: { [ARCHIVE_KEY]: input.archive.toString('base64') },
  };
}

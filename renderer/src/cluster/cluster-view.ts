/** Pure view logic of the Cluster page: which operation to show, progress as a percentage, step labels. */
import type { ClusterOperation, ClusterStep } from '../../../engine/api/contract';

export const STEP_LABEL: Record<ClusterStep['status'], string> = {
  pending: 'Waiting',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export const OPERATION_TITLE: Record<ClusterOperation['kind'], string> = {
  create: 'Creating the local cluster',
  delete: 'Deleting the cluster',
  prepare: 'Preparing the offline assets',
  'bundle-export': 'Exporting the offline bundle',
  'bundle-import': 'Importing the offline bundle',
};

export function percent(op: Pick<ClusterOperation, 'progress'>): number {
  const { current, max } = op.progress;
  return max > 0 ? Math.round((Math.min(current, max) / max) * 100) : 0;
}

/** An event replaces the shown operation when it is the same one or a newer one. */
export function nextOperation(shown: ClusterOperation | null, incoming: ClusterOperation): ClusterOperation {
  if (!shown || shown.id === incoming.id || incoming.startedAt >= shown.startedAt) return incoming;
  return shown;
}

/** "3 of 11 steps · Create the kind nodes: Starting control-plane" */
export function progressText(op: ClusterOperation): string {
  const done = op.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  return `${done} of ${op.steps.length} steps · ${op.progress.description}`;
}

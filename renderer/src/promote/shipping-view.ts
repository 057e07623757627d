/** How the Promote preview talks about what is shipped with the job. Pure (tested in node). */
import type { PromotePreview, ShippedFile, ShippingMode } from '../../../engine/api/contract';
import { formatBytes } from '../components/format-bytes';

export const SHIPPING_LABELS: Record<ShippingMode, string> = {
  hostPath: 'Folder mounted into the nodes (hostPath)',
  configMap: 'Archive in a ConfigMap',
  image: 'Image built on the trainer image',
};

export interface ShippingSummary {
  mode: string;
  detail: string;
  /** "archive 40.0 KiB of the 1.0 MiB limit (4%)"; null when nothing is archived. */
  size: string | null;
  overLimit: boolean;
}

export function shippingSummary(p: Pick<PromotePreview, 'shipping'>): ShippingSummary {
  const s = p.shipping;
  const archived = s.archiveBytes !== null;
  const pct = archived && s.limitBytes > 0 ? Math.ceil((s.archiveBytes! / s.limitBytes) * 100) : null;
  return {
    mode: SHIPPING_LABELS[s.mode],
    detail: s.detail,
    size: archived ? `archive ${formatBytes(s.archiveBytes!)} of the ${formatBytes(s.limitBytes)} limit (${pct}%)` : null,
    overLimit: archived && s.archiveBytes! > s.limitBytes,
  };
}

/** Largest first (what to .kfdignore when an archive is too big), then by path. */
export function sortFiles(files: readonly ShippedFile[]): ShippedFile[] {
  return [...files].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

export function filesHeading(p: Pick<PromotePreview, 'files' | 'totalBytes' | 'shipping'>): string {
  const n = p.files.length;
  const what = p.shipping.mode === 'hostPath' ? 'seen by the nodes' : 'shipped';
  return `${n} ${n === 1 ? 'file' : 'files'} ${what}, ${formatBytes(p.totalBytes)}`;
}

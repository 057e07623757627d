import type { CheckStatus } from '../../../engine/api/contract';
import { CheckIcon, MissingIcon, Spinner, WarningIcon } from './Icons';

export type BadgeStatus = CheckStatus | 'pending';

const LABELS: Record<BadgeStatus, string> = {
  ok: 'OK',
  warning: 'Warning',
  missing: 'Missing',
  pending: 'Checking…',
};

/** Status as colour AND icon AND text, so it never depends on colour alone. */
/** `label` replaces the default word (e.g. "Unreachable" for a cluster target). */
export function StatusBadge({ status, stalled = false, label }: { status: BadgeStatus; stalled?: boolean; label?: string }) {
  if (status === 'pending' && stalled) {
    // The run stopped (engine unreachable) before this check reported.
    return (
      <span className="badge badge-pending">
        <span aria-hidden="true">–</span>
        <span>Not checked</span>
      </span>
    );
  }
  const Icon = { ok: CheckIcon, warning: WarningIcon, missing: MissingIcon, pending: Spinner }[status];
  return (
    <span className={`badge badge-${status}`}>
      <Icon size={13} />
      <span>{label ?? LABELS[status]}</span>
    </span>
  );
}

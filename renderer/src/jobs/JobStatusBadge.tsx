import type { ReactNode } from 'react';
import type { JobStatus, RankInfo } from '../../../engine/api/contract';
import { CancelledIcon, CheckIcon, CircleIcon, MissingIcon, Spinner } from '../components/Icons';
import { rankTone, statusTone, type StatusTone } from './job-status';

const ICONS: Record<StatusTone, (p: { size?: number }) => ReactNode> = {
  created: CircleIcon,
  running: Spinner,
  complete: CheckIcon,
  failed: MissingIcon,
  cancelled: CancelledIcon,
};

/** A job's status as colour AND icon AND text. */
export function JobStatusBadge({ status }: { status: JobStatus }) {
  const tone = statusTone(status);
  const Icon = ICONS[tone];
  return (
    <span className={`badge badge-job-${tone}`} data-testid="job-status">
      <Icon size={12} />
      <span>{status}</span>
    </span>
  );
}

/** A rank's status (Pending / Running / Succeeded / Failed / Cancelled), same look. */
export function RankStatusBadge({ status }: { status: RankInfo['status'] }) {
  const tone = rankTone(status);
  const Icon = ICONS[tone];
  return (
    <span className={`badge badge-small badge-job-${tone}`}>
      <Icon size={11} />
      <span>{status}</span>
    </span>
  );
}

import type { ReactNode } from 'react';
import type { PipelineTaskStatus } from '../../../engine/api/contract';
import { CancelledIcon, CheckIcon, CircleIcon, MissingIcon, Spinner } from '../components/Icons';
import { toneOf, type Tone } from './pipeline-view';

const ICONS: Record<Tone, (p: { size?: number }) => ReactNode> = {
  created: CircleIcon,
  running: Spinner,
  complete: CheckIcon,
  failed: MissingIcon,
  cancelled: CancelledIcon,
  skipped: CircleIcon,
};

/** A run's or task's status as KFP names it: colour AND icon AND text. */
export function PipelineStatusBadge({ status, cached = false }: { status: PipelineTaskStatus; cached?: boolean }) {
  const tone = toneOf(status);
  const Icon = ICONS[tone];
  return (
    <span className={`badge badge-job-${tone}`} data-testid="pipeline-status">
      <Icon size={12} />
      <span>{status}</span>
      {cached ? <span className="pl-cached">cached</span> : null}
    </span>
  );
}

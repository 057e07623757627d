import type { ReactNode } from 'react';
import type { ExperimentStatus, TrialStatus } from '../../../engine/api/contract';
import { CancelledIcon, CheckIcon, CircleIcon, MissingIcon, Spinner } from '../components/Icons';
import { experimentTone, trialTone, type Tone } from './experiment-view';

const ICONS: Record<Tone, (p: { size?: number }) => ReactNode> = { created: CircleIcon, running: Spinner, complete: CheckIcon, failed: MissingIcon, cancelled: CancelledIcon };

/** Katib's status as colour AND icon AND text. */
export function ExperimentStatusBadge({ status, reason }: { status: ExperimentStatus; reason?: string }) {
  const tone = experimentTone(status, reason);
  const Icon = ICONS[tone];
  return (
    <span className={`badge badge-job-${tone}`} data-testid="experiment-status" title={reason || undefined}>
      <Icon size={12} />
      <span>{status}</span>
    </span>
  );
}

export function TrialStatusBadge({ status, reason }: { status: TrialStatus; reason?: string }) {
  const tone = trialTone(status);
  const Icon = ICONS[tone];
  return (
    <span className={`badge badge-small badge-job-${tone}`} data-testid="trial-status" title={reason || undefined}>
      <Icon size={11} />
      <span>{status}</span>
    </span>
  );
}

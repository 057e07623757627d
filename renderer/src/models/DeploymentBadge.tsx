import type { DeploymentState } from '../../../engine/api/contract';
import { CheckIcon, CircleIcon, MissingIcon, Spinner, WarningIcon } from '../components/Icons';
import { deploymentTone } from './model-view';

/** A deployment's state as colour, icon and word. */
export function DeploymentBadge({ state }: { state: DeploymentState }) {
  const tone = deploymentTone(state);
  const Icon = { ok: CheckIcon, busy: Spinner, failed: MissingIcon, warning: WarningIcon, idle: CircleIcon }[tone];
  return (
    <span className={`badge badge-small model-badge model-badge-${tone}`} data-testid="deployment-state" data-state={state}>
      <Icon size={12} />
      <span>{state === 'NotReady' ? 'Not ready' : state}</span>
    </span>
  );
}

/**
 * "Run on": this machine's backends, then every cluster target with its namespace. Unavailable
 * choices stay visible, disabled, with the engine's reason; the list is read again on focus so
 * a context added to the kubeconfig shows up without reopening the workspace.
 */
import { useId } from 'react';
import type { RunTarget } from '../../../engine/api/contract';
import { routeHref } from '../routes';
import './target-picker.css';

export function TargetPicker({ targets, value, onChange, onFocus }: { targets: readonly RunTarget[]; value: string; onChange(id: string): void; onFocus(): void }) {
  const local = targets.filter((t) => t.backend !== 'kubernetes');
  const clusters = targets.filter((t) => t.backend === 'kubernetes');
  const unavailable = targets.filter((t) => !t.available);
  const option = (t: RunTarget) => (
    <option key={t.id} value={t.id} disabled={!t.available} title={t.reason ?? undefined}>
      {t.label}
      {t.available ? '' : ' (unavailable)'}
    </option>
  );
  const id = useId();
  return (
    <span className="ws-run-field ws-target-picker">
      <label htmlFor={id}>Run on</label>
      <select
        id={id}
        className="input select"
        data-testid="run-target"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onFocus={onFocus}
        title={unavailable.map((t) => `${t.label}: ${t.reason}`).join('\n') || undefined}
      >
        <optgroup label="This machine">{local.map(option)}</optgroup>
        {clusters.length > 0 ? <optgroup label="Kubernetes">{clusters.map(option)}</optgroup> : null}
      </select>
      <a className="ws-target-manage" href={routeHref('settings')} title="Clusters & contexts: namespaces, image registries, what each target runs">
        Manage…
      </a>
    </span>
  );
}

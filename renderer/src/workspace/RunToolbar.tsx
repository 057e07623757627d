/**
 * Where and how to run: the target picker (unavailable targets shown disabled, with the
 * engine's reason), quick controls that write numNodes / numProcPerNode / GPUs into
 * trainjob.yaml, Run (saves everything first) and Stop.
 */
import { useState } from 'react';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { Spinner, StopIcon } from '../components/Icons';
import { routeHref } from '../routes';
import { isRunning } from './run-controller';
import type { QuickField } from './quick-controls';
import type { SessionState } from './session-state';
import { TargetPicker } from './TargetPicker';
import { PlayIcon } from './workspace-icons';
import type { WorkspaceSession } from './workspace-session';

const QUICK: { field: QuickField; label: string; title: string; min: number }[] = [
  { field: 'numNodes', label: 'Nodes', title: 'spec.trainer.numNodes: nodes (process groups locally, containers, pods)', min: 1 },
  { field: 'numProcPerNode', label: 'Procs/node', title: 'spec.trainer.numProcPerNode: ranks per node', min: 1 },
  { field: 'gpus', label: 'GPUs/node', title: 'spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"] (0 removes it)', min: 0 },
];

/**
 * A number field over a YAML value: what is typed stays as typed while editing; only whole
 * numbers in range are written back (clearing the field to retype does not remove the key).
 */
function QuickInput(props: { label: string; min: number; disabled: boolean; value: number | null; onCommit(n: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      type="number"
      className="input"
      min={props.min}
      aria-label={props.label}
      disabled={props.disabled}
      value={draft ?? (props.value === null ? '' : String(props.value))}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isInteger(n) && n >= props.min && n <= 4096) props.onCommit(n);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

export function RunToolbar({ session, state }: { session: WorkspaceSession; state: SessionState }) {
  const { run } = state;
  const quick = session.run.quickValues();
  const running = isRunning(run.job);
  const target = run.targets.find((t) => t.id === run.targetId);
  const quickOff = quick === null ? 'Open a workspace with a trainjob.yaml to use these.' : quick.error;

  return (
    <div className="ws-run" data-testid="run-toolbar">
      <div className="ws-run-row">
        <TargetPicker targets={run.targets} value={run.targetId} onChange={(id) => session.run.setTarget(id)} onFocus={() => void session.run.refreshTargets()} />
        {QUICK.map((q) => (
          <label key={q.field} className="ws-run-field ws-quick" title={quickOff ?? q.title}>
            <span>{q.label}</span>
            <QuickInput
              label={q.label}
              min={q.min}
              disabled={quickOff !== null}
              value={quick?.[q.field] ?? (q.field === 'gpus' ? 0 : null)}
              onCommit={(n) => session.run.setQuick(q.field, n)}
            />
          </label>
        ))}
        <div className="ws-run-actions">
          {running ? (
            <button type="button" className="btn" onClick={() => void session.run.stop()} disabled={run.busy !== null}>
              {run.busy === 'stopping' ? <Spinner size={13} /> : <StopIcon size={13} />}
              Stop
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void session.run.start()}
            disabled={run.busy !== null || running || !target?.available}
            title={target?.available === false ? (target.reason ?? undefined) : 'Save all files and run trainjob.yaml'}
          >
            {run.busy === 'starting' ? <Spinner size={13} /> : <PlayIcon size={13} />}
            Run
          </button>
          <a className="btn" href={routeHref('experiments', 'tune', session.root)} title="Tune hyperparameters: a Katib Experiment around trainjob.yaml" data-testid="tune-button">
            Tune…
          </a>
        </div>
        {run.job && !run.panelOpen ? (
          <button type="button" className="ws-run-job" onClick={() => session.run.setPanelOpen(true)} title="Show the run's logs and metrics">
            <span className="mono">{run.job.name}</span>
            <JobStatusBadge status={run.job.status} />
          </button>
        ) : null}
      </div>
      {run.error ? (
        <p className="ws-run-error field-error" role="alert" data-testid="run-error">
          {run.error}
        </p>
      ) : null}
    </div>
  );
}

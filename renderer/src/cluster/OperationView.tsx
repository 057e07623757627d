import type { ClusterOperation, ClusterStep } from '../../../engine/api/contract';
import { CancelledIcon, CheckIcon, CircleIcon, MissingIcon, Spinner, StopIcon } from '../components/Icons';
import { OPERATION_TITLE, percent, progressText, STEP_LABEL } from './cluster-view';

function StepIcon({ status }: { status: ClusterStep['status'] }) {
  if (status === 'running') return <Spinner size={13} />;
  if (status === 'done') return <CheckIcon size={13} />;
  if (status === 'failed') return <MissingIcon size={13} />;
  if (status === 'cancelled') return <CancelledIcon size={13} />;
  return <CircleIcon size={13} />;
}

/** A long cluster operation: progress bar, the step list (each step's logs expandable), cancel, and the failure. */
export function OperationView({ op, onCancel, cancelling }: { op: ClusterOperation; onCancel: () => void; cancelling: boolean }) {
  const running = op.status === 'running';
  return (
    <section className="cluster-op" data-testid="cluster-operation" data-status={op.status} aria-labelledby="cluster-op-title">
      <div className="cluster-op-head">
        <h2 id="cluster-op-title">
          {OPERATION_TITLE[op.kind]}
          {op.cluster ? ` "${op.cluster}"` : ''}
          {running ? '' : op.status === 'succeeded' ? ' — done' : op.status === 'cancelled' ? ' — cancelled' : ' — failed'}
        </h2>
        {running ? (
          <button type="button" className="btn" onClick={onCancel} disabled={cancelling} data-testid="cluster-cancel">
            <StopIcon size={13} /> {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
      </div>
      <div className="cluster-progress">
        <progress max={100} value={percent(op)} aria-label="Progress" data-testid="cluster-progress" />
        <span className="cluster-progress-text" aria-live="polite" data-testid="cluster-progress-text">
          {progressText(op)}
        </span>
      </div>
      {op.error ? (
        <div className="cluster-error" role="alert" data-testid="cluster-error">
          <p className="cluster-error-title">
            {op.error.stepTitle ? (
              <>
                Failed at <strong data-testid="cluster-error-step">{op.error.stepTitle}</strong>
              </>
            ) : (
              'Failed'
            )}
          </p>
          <pre className="cluster-error-message" data-testid="cluster-error-message">{op.error.message}</pre>
          {op.error.fix ? (
            <p className="cluster-error-fix" data-testid="cluster-error-fix">
              <strong>What to do:</strong> {op.error.fix}
            </p>
          ) : null}
          {op.error.details.lastCommand ? (
            <p className="cluster-error-cmd">
              Last command: <code>{op.error.details.lastCommand}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <ol className="cluster-steps" aria-label="Steps">
        {op.steps.map((s) => (
          <li key={s.id} className={`cluster-step step-${s.status}`} data-testid="cluster-step" data-step-id={s.id} data-status={s.status}>
            <details open={s.status === 'failed' || s.status === 'running' ? true : undefined}>
              <summary>
                <span className="cluster-step-icon" title={STEP_LABEL[s.status]}>
                  <StepIcon status={s.status} />
                </span>
                <span className="cluster-step-title">{s.title}</span>
                <span className="sr-only">{STEP_LABEL[s.status]}</span>
                {s.detail ? <span className="cluster-step-detail">{s.detail}</span> : null}
              </summary>
              {s.logs.length ? (
                <pre className="cluster-step-logs" data-testid="cluster-step-logs">{s.logs.join('\n')}</pre>
              ) : (
                <p className="cluster-step-nologs">No output{s.status === 'pending' ? ' yet' : ''}.</p>
              )}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

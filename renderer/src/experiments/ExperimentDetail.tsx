/** `#/experiments/<id>`: status, best trial, objective over time, parameters → objective, and the trials. */
import { useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, Spinner, StopIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { formatDuration } from '../jobs/duration';
import { useNow } from '../jobs/use-now';
import { routeHref } from '../routes';
import { ExperimentStatusBadge } from './ExperimentStatusBadge';
import { formatObjective, formatParam } from './experiment-view';
import { ObjectiveChart } from './ObjectiveChart';
import { ParallelCoordinates } from './ParallelCoordinates';
import { PromoteToKatib } from './PromoteToKatib';
import { TrialsTable } from './TrialsTable';
import { useExperiment } from './use-experiments';

export function ExperimentDetail({ id }: { id: string }) {
  const api = useApi();
  const { experiment: e, error, reload } = useExperiment(id);
  const [cancelling, setCancelling] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const running = e ? e.status === 'Created' || e.status === 'Running' : false;
  const now = useNow(running);
  if (error && !e) return <div className="page"><InlineError prefix={`Could not load experiment ${id}`} message={error} /></div>;
  if (!e) return <div className="page"><Spinner size={16} /></div>;
  const cancel = async () => {
    setCancelling(true);
    try {
      await api.call('experiments.cancel', { id: e.id });
      reload();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <div className="page page-wide exp-detail" data-testid="experiment-detail" data-status={e.status}>
      <div className="job-header">
        <a className="back-link" href={routeHref('experiments')}>
          <BackIcon size={13} /> Experiments
        </a>
        <div className="job-title-row">
          <h1 className="job-title">{e.name}</h1>
          <ExperimentStatusBadge status={e.status} reason={e.reason} />
          {running ? (
            <button type="button" className="btn" onClick={() => void cancel()} disabled={cancelling} data-testid="experiment-cancel">
              {cancelling ? <Spinner size={13} /> : <StopIcon size={13} />} Cancel
            </button>
          ) : null}
        </div>
        <p className="muted exp-meta">
          <span className="mono">{e.id}</span> · {e.algorithm} · {e.objective.type} <span className="mono">{e.objective.metric}</span>
          {e.objective.goal !== null ? ` to ${e.objective.goal}` : ''} · {e.counts.total}
          {e.maxTrialCount ? ` of ${e.maxTrialCount}` : ''} trials, {e.parallelTrialCount} at a time · {e.backend === 'kubernetes' ? e.target : e.backend}
          {e.finishedAt ? ` · took ${formatDuration(e.finishedAt - e.createdAt)}` : running ? ` · ${formatDuration(now - e.createdAt)} so far` : ''}
        </p>
        <p className="exp-reason" data-testid="experiment-reason">
          {e.reason ? <span className="mono">{e.reason}</span> : null} {e.message}
        </p>
        {actionError ? <InlineError prefix="Cancel failed" message={actionError} /> : null}
      </div>

      <section className="exp-best" data-testid="best-trial" aria-label="Best trial">
        {e.bestTrial ? (
          <>
            <span className="best-mark">★</span> Best trial <strong className="mono" data-testid="best-trial-name">{e.bestTrial.name}</strong>
            <span className="mono" data-testid="best-trial-objective">{e.objective.metric}={formatObjective(e.bestTrial.objective)}</span>
            {Object.entries(e.bestTrial.parameters).map(([k, v]) => (
              <span key={k} className="exp-param mono">{k}={formatParam(v)}</span>
            ))}
          </>
        ) : (
          <span className="muted">No trial has reported {e.objective.metric} yet.</span>
        )}
      </section>

      <div className="exp-charts">
        <ObjectiveChart experiment={e} />
        <ParallelCoordinates experiment={e} />
      </div>

      <h2 className="section-title">Trials</h2>
      <TrialsTable experiment={e} now={now} />

      <PromoteToKatib experimentId={e.id} />

      {e.warnings.length ? (
        <details className="exp-warnings">
          <summary>{e.warnings.length} warning{e.warnings.length === 1 ? '' : 's'} about the experiment file</summary>
          <ul>{e.warnings.map((w) => <li key={`${w.line}:${w.path}:${w.message}`} className="mono small">{w.message}</li>)}</ul>
        </details>
      ) : null}
    </div>
  );
}

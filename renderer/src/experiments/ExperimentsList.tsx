/** `#/experiments`: every experiment, newest first, with its status, trials and best objective. */
import { EmptyState } from '../components/EmptyState';
import { ExperimentsIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { formatTimestamp } from '../jobs/duration';
import { navigate } from '../use-hash-route';
import { ExperimentStatusBadge } from './ExperimentStatusBadge';
import { formatObjective } from './experiment-view';
import { useExperimentList } from './use-experiments';

export function ExperimentsList() {
  const { experiments, error } = useExperimentList();
  if (error) return <div className="page" data-testid="page-experiments"><InlineError prefix="Could not list experiments" message={error} /></div>;
  if (!experiments) return <div className="page" data-testid="page-experiments"><Spinner size={16} /></div>;
  if (experiments.length === 0) {
    return (
      <div className="page" data-testid="page-experiments">
        <EmptyState icon={<ExperimentsIcon size={28} />} title="Hyperparameter tuning">
          <p>
            A Katib <code>Experiment</code> runs here as a sweep of trial jobs, then unchanged on a cluster with Katib. Open a workspace and choose
            <strong> Tune…</strong>, start from the <code>hpo-sklearn</code> template, or run <code>kfd tune experiment.yaml</code>.
          </p>
        </EmptyState>
      </div>
    );
  }
  const now = Date.now();
  return (
    <div className="page page-wide" data-testid="page-experiments">
      <h1 className="page-title">Experiments</h1>
      <div className="table-scroll">
        <table className="data-table exp-table" data-testid="experiments-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Algorithm</th>
              <th>Trials</th>
              <th>Best</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr
                key={e.id}
                className="exp-row"
                tabIndex={0}
                onClick={() => navigate('experiments', e.id)}
                onKeyDown={(ev) => ev.key === 'Enter' && navigate('experiments', e.id)}
                data-testid="experiment-row"
              >
                <td>
                  <a href={`#/experiments/${encodeURIComponent(e.id)}`} onClick={(ev) => ev.stopPropagation()}>{e.name}</a>
                  <div className="muted mono small">{e.id}</div>
                </td>
                <td><ExperimentStatusBadge status={e.status} reason={e.reason} /></td>
                <td className="mono">{e.algorithm}</td>
                <td>
                  {e.counts.total}
                  {e.maxTrialCount ? ` / ${e.maxTrialCount}` : ''}
                  {e.counts.running ? <span className="muted"> ({e.counts.running} running)</span> : null}
                </td>
                <td>{e.bestTrial ? <span className="mono">{e.objective.metric}={formatObjective(e.bestTrial.objective)}</span> : <span className="muted">—</span>}</td>
                <td className="muted">{formatTimestamp(e.createdAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Pipeline runs, newest first; tick two to compare them. Live through `pipelines.changed`. */
import { useEffect, useState } from 'react';
import type { PipelineRunSummary } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { InlineError } from '../components/MessageText';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { PipelineStatusBadge } from './PipelineStatusBadge';

export function RunsList() {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [runs, setRuns] = useState<PipelineRunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => {
    let alive = true;
    api.call('pipelines.list', {}).then((r) => alive && setRuns(r.runs), (err: unknown) => alive && setError(errorText(err)));
    const off = api.on('pipelines.changed', (s) => setRuns((prev) => (prev ? (prev.some((r) => r.id === s.id) ? prev.map((r) => (r.id === s.id ? s : r)) : [s, ...prev]) : prev)));
    return () => {
      alive = false;
      off();
    };
  }, [api, generation]);
  if (error) return <InlineError prefix="Could not list pipeline runs" message={error} />;
  if (!runs) return null;
  if (!runs.length) return <p className="muted" data-testid="no-runs">No runs yet: start one above, or with <code>kfd pipeline run pipeline.yaml</code>.</p>;
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <section className="panel" aria-label="Pipeline runs">
      <div className="pl-list-head">
        <h2>Runs</h2>
        <button type="button" className="btn btn-small" disabled={picked.length !== 2} onClick={() => navigate('pipelines', 'compare', picked[0]!, picked[1]!)} data-testid="compare-runs">
          Compare {picked.length}/2
        </button>
      </div>
      <table className="pl-table pl-runs" data-testid="runs-table">
        <thead><tr><th><span className="sr-only">Pick</span></th><th>Run</th><th>Status</th><th>Tasks</th><th>Where</th><th>Started</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid="run-row" data-run-id={r.id}>
              <td><input type="checkbox" aria-label={`Pick run ${r.id} to compare`} checked={picked.includes(r.id)} onChange={() => toggle(r.id)} /></td>
              <td><a href={routeHref('pipelines', 'runs', r.id)}>{r.name}</a> <span className="muted mono">{r.id}</span>{r.rerunOf ? <span className="muted"> ↳ {r.rerunOf}</span> : null}</td>
              <td><PipelineStatusBadge status={r.status === 'Pending' ? 'Pending' : r.status} /></td>
              <td className="muted">{Object.entries(r.counts).map(([k, n]) => `${n} ${k}`).join(', ')}</td>
              <td className="muted">{r.backend}</td>
              <td className="muted">{new Date(r.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

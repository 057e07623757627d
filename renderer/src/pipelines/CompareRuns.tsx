/** Two runs side by side (`#/pipelines/compare/<a>/<b>`): parameters and every Metrics artifact's values. */
import { useEffect, useState } from 'react';
import type { PipelineRunDetail } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { routeHref } from '../routes';
import { compareRows, runMetrics, type CompareRow } from './pipeline-view';
import { PipelineStatusBadge } from './PipelineStatusBadge';

export function CompareRuns({ ids }: { ids: string[] }) {
  const api = useApi();
  const [runs, setRuns] = useState<PipelineRunDetail[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all(ids.slice(0, 2).map((id) => api.call('pipelines.get', { id }))).then(setRuns, (err: unknown) => setError(errorText(err)));
  }, [api, ids]);
  const back = <a className="back-link" href={routeHref('pipelines')}><BackIcon size={13} /> All runs</a>;
  if (error) return <div className="page page-wide">{back}<InlineError prefix="Cannot compare" message={error} /></div>;
  if (!runs || runs.length < 2) return <div className="page page-wide">{back}<p className="muted"><Spinner /> Loading…</p></div>;
  const [a, b] = runs as [PipelineRunDetail, PipelineRunDetail];
  return (
    <div className="page page-wide" data-testid="page-pipeline-compare">
      {back}
      <table className="pl-table pl-compare">
        <thead>
          <tr><th /><th><a href={routeHref('pipelines', 'runs', a.id)}>{a.name} {a.id}</a> <PipelineStatusBadge status={a.status} /></th><th><a href={routeHref('pipelines', 'runs', b.id)}>{b.name} {b.id}</a> <PipelineStatusBadge status={b.status} /></th></tr>
        </thead>
        <Section title="Parameters" rows={compareRows(a.parameters, b.parameters)} />
        <Section title="Metrics" rows={compareRows(runMetrics(a), runMetrics(b))} testid="compare-metrics" />
      </table>
    </div>
  );
}

function Section({ title, rows, testid }: { title: string; rows: CompareRow[]; testid?: string }) {
  return (
    <tbody data-testid={testid}>
      <tr><th colSpan={3} className="pl-section">{title}</th></tr>
      {rows.length ? rows.map((r) => (
        <tr key={r.key} className={r.differs ? 'pl-differs' : ''}><th scope="row" className="mono">{r.key}</th><td className="mono">{r.a}</td><td className="mono">{r.b}</td></tr>
      )) : <tr><td colSpan={3} className="muted">None.</td></tr>}
    </tbody>
  );
}

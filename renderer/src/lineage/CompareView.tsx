/**
 * `#/jobs/compare/<a>/<b>…`: runs side by side — status, where they ran, duration, and the last
 * value of every metric, each later run against the first. Re-read while any run is not final.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { RunComparison } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { isFinal, shapeLabel } from '../jobs/jobs-list';
import { backendLabel } from '../jobs/JobsTable';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { jobHref, routeHref } from '../routes';
import { compareTable, formatMetric } from './lineage-view';
import './lineage.css';

export function CompareView({ ids }: { ids: string[] }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [runs, setRuns] = useState<RunComparison[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = ids.join('/');

  const load = useCallback(async () => {
    try {
      setRuns((await api.call('jobs.compare', { ids })).runs);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, [api, key]);

  useEffect(() => {
    void load();
  }, [load, generation]);

  // Durations and final metrics move while a run is still going: re-read on its changes (coalesced).
  useEffect(
    () =>
      api.on('jobs.changed', (s) => {
        if (!ids.includes(s.id) || timer.current) return;
        timer.current = setTimeout(() => {
          timer.current = null;
          void load();
        }, 500);
      }),
    [api, key, load],
  );
  const live = runs?.some((r) => !isFinal(r.job.status)) ?? false;
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void load(), 3000);
    return () => clearInterval(t);
  }, [live, load]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const back = (
    <a className="back-link" href={ids[0] ? jobHref(ids[ids.length - 1]!) : routeHref('jobs')}>
      <BackIcon size={13} /> Back to the job
    </a>
  );
  if (ids.length === 0) {
    return (
      <div className="page page-wide" data-testid="page-compare">
        {back}
        <p className="field-error">Nothing to compare: the address names no jobs.</p>
      </div>
    );
  }
  if (!runs) {
    return (
      <div className="page page-wide" data-testid="page-compare">
        {back}
        {error ? <InlineError prefix="Could not compare these runs" message={error} /> : <p className="summary muted"><Spinner /> Loading runs…</p>}
      </div>
    );
  }

  const table = compareTable(runs);
  const cols = table.runs.length;
  return (
    <div className="page page-wide" data-testid="page-compare">
      {back}
      <h2 className="compare-title">Compare {cols} runs</h2>
      {error ? <InlineError prefix="Could not refresh" message={error} /> : null}
      <div className="table-scroll">
        <table className="data-table compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col" />
              {table.runs.map((r, i) => (
                <th key={r.job.id} scope="col" data-job-id={r.job.id}>
                  <a className="mono" href={jobHref(r.job.id)}>
                    {r.job.name}
                  </a>
                  <div className="muted mono compare-id">
                    {r.job.id}
                    {i === 0 ? ' · baseline' : ''}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <Row label="Status">{table.runs.map((r) => <td key={r.job.id} data-testid="compare-status" data-status={r.job.status}><JobStatusBadge status={r.job.status} /></td>)}</Row>
            <Row label="Ran on">{table.runs.map((r) => <td key={r.job.id}>{backendLabel(r.job)}</td>)}</Row>
            <Row label="Nodes×procs">{table.runs.map((r) => <td key={r.job.id} className="mono">{shapeLabel(r.job)}</td>)}</Row>
            <Row label="Duration">{table.durations.map((d, i) => <td key={i} className="mono" data-testid="compare-duration">{d}</td>)}</Row>
            {table.metrics.length === 0 ? (
              <tr>
                <th scope="row">Metrics</th>
                <td colSpan={cols} className="muted">
                  None of these runs reported metrics (lines like <code>step=10 loss=0.31</code> become metrics).
                </td>
              </tr>
            ) : (
              table.metrics.map((m) => (
                <tr key={m.name} data-testid="compare-metric" data-metric={m.name}>
                  <th scope="row" className="mono">
                    {m.name}
                  </th>
                  {m.values.map((v, i) => (
                    <td key={i} className="mono">
                      {v === null ? <span className="muted">—</span> : formatMetric(v)}
                      {m.steps[i] !== null ? <span className="muted compare-step"> @ {m.steps[i]}</span> : null}
                      {m.deltas[i] ? <div className="compare-delta muted">{m.deltas[i]}</div> : null}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p className="muted compare-note">Metrics are each run's last reported value (rank 0); differences are against the first column.</p>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {children}
    </tr>
  );
}

/** The trials of one experiment: sortable by any column, the best trial marked; a row opens the trial's job. */
import { useMemo, useState } from 'react';
import type { ExperimentDetail } from '../../../engine/api/contract';
import { formatDuration } from '../jobs/duration';
import { jobHref } from '../routes';
import { TrialStatusBadge } from './ExperimentStatusBadge';
import { formatObjective, formatParam, sortKeyId, sortTrials, trialDuration, type Sort, type SortKey } from './experiment-view';

export function TrialsTable({ experiment: e, now }: { experiment: ExperimentDetail; now: number }) {
  const [sort, setSort] = useState<Sort>({ key: { kind: 'trial' }, descending: false });
  const rows = useMemo(() => sortTrials(e.trials, sort, now), [e.trials, sort, now]);
  const header = (key: SortKey, label: string, title?: string) => {
    const active = sortKeyId(sort.key) === sortKeyId(key);
    return (
      <th key={sortKeyId(key)} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} title={title}>
        <button
          type="button"
          className="th-sort"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key.kind === 'objective' && e.objective.type === 'maximize' })}
          data-testid={`sort-${sortKeyId(key)}`}
        >
          {label}
          <span aria-hidden className="sort-arrow">{active ? (sort.descending ? '▼' : '▲') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll">
      <table className="data-table exp-trials" data-testid="trials-table">
        <thead>
          <tr>
            {header({ kind: 'trial' }, 'Trial')}
            {header({ kind: 'status' }, 'Status')}
            {e.parameters.map((p) => header({ kind: 'param', name: p.name }, p.name, `${p.type}${p.log ? ', log scale' : ''}`))}
            {header({ kind: 'objective' }, e.objective.metric, `${e.objective.type === 'maximize' ? 'Maximized' : 'Minimized'} objective`)}
            {header({ kind: 'duration' }, 'Duration')}
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const best = e.bestTrial?.name === t.name;
            const d = trialDuration(t, now);
            const open = () => t.jobId && (window.location.hash = jobHref(t.jobId));
            return (
              <tr
                key={t.name}
                className={`exp-trial${best ? ' exp-trial-best' : ''}${t.jobId ? ' clickable' : ''}`}
                data-testid="trial-row"
                data-trial={t.name}
                data-best={best ? 'true' : undefined}
                tabIndex={t.jobId ? 0 : -1}
                onClick={open}
                onKeyDown={(ev) => ev.key === 'Enter' && open()}
                title={t.jobId ? `Open the job of ${t.name}` : undefined}
              >
                <td className="mono">
                  {best ? <span className="best-mark" aria-label="best trial" title="Best trial">★ </span> : null}
                  {t.jobId ? <a href={jobHref(t.jobId)} onClick={(ev) => ev.stopPropagation()}>{t.name}</a> : t.name}
                </td>
                <td><TrialStatusBadge status={t.status} reason={t.reason} /></td>
                {e.parameters.map((p) => (
                  <td key={p.name} className="mono num" title={t.parameters[p.name]}>{formatParam(t.parameters[p.name])}</td>
                ))}
                <td className="mono num" data-testid="trial-objective">{formatObjective(t.objective)}</td>
                <td className="num">{d === null ? '—' : formatDuration(d)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A job's family on its page: the jobs it came from and the jobs promoted or re-run from it,
 * each with its status, and links to compare them side by side. Kept current by `jobs.changed`.
 */
import { useCallback, useEffect, useState } from 'react';
import type { JobSummary } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { InlineError } from '../components/MessageText';
import { formatTimestamp } from '../jobs/duration';
import { backendLabel } from '../jobs/JobsTable';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { jobHref } from '../routes';
import { CompareIcon } from '../promote/promote-icons';
import { compareHref, hasLineage, lineageRows, type Lineage } from './lineage-view';
import './lineage.css';

export function LineagePanel({ job }: { job: Pick<JobSummary, 'id' | 'parentId'> }) {
  const api = useApi();
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setLineage(await api.call('jobs.lineage', { id: job.id }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, [api, job.id]);

  useEffect(() => {
    void load();
  }, [load]);

  // A new child (promoted or re-run from here) or a status change in the family.
  useEffect(
    () =>
      api.on('jobs.changed', (s) => {
        const known = lineage && [...lineage.ancestors, lineage.job, ...lineage.children].some((j) => j.id === s.id);
        if (s.parentId === job.id || known) void load();
      }),
    [api, job.id, lineage, load],
  );

  if (error && job.parentId === null) return null; // nothing to show, and nothing lost by not showing it
  if (!error && !hasLineage(lineage)) return null;

  const rows = lineage ? lineageRows(lineage) : [];
  const parent = lineage?.ancestors.at(-1) ?? null;
  const family = rows.map((r) => r.job.id);
  return (
    <section className="job-section" aria-labelledby="lineage-heading" data-testid="job-lineage">
      <div className="lineage-head">
        <h3 id="lineage-heading">Lineage</h3>
        {parent ? (
          <a className="btn btn-small" href={compareHref([parent.id, job.id])} data-testid="compare-parent">
            <CompareIcon size={12} /> Compare with parent
          </a>
        ) : null}
        {family.length > 2 || (!parent && family.length === 2) ? (
          <a className="btn btn-small" href={compareHref(family.slice(0, 8))}>
            <CompareIcon size={12} /> Compare {family.length > 8 ? 'first 8' : 'all'}
          </a>
        ) : null}
      </div>
      {error ? <InlineError prefix="Could not read this job's lineage" message={error} /> : null}
      {rows.length > 0 ? (
        <ol className="lineage-list">
          {rows.map((r) => (
            <li key={r.job.id} className={`lineage-row${r.current ? ' current' : ''}`} data-testid="lineage-row" data-job-id={r.job.id} data-relation={r.relation}>
              <span className="lineage-relation muted" title={r.relation}>
                {r.relation}
              </span>
              {r.current ? <strong className="mono">{r.job.name}</strong> : <a className="mono" href={jobHref(r.job.id)}>{r.job.name}</a>}
              <JobStatusBadge status={r.job.status} />
              <span className="muted">{backendLabel(r.job)}</span>
              <span className="muted mono">{r.job.id}</span>
              <span className="muted">{formatTimestamp(r.job.createdAt, Date.now())}</span>
              {!r.current ? (
                <a className="lineage-compare" href={compareHref(r.job.createdAt < (lineage?.job.createdAt ?? 0) ? [r.job.id, job.id] : [job.id, r.job.id])} aria-label={`Compare with ${r.job.name} (${r.job.id})`}>
                  compare
                </a>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

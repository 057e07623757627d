import { useCallback, useMemo, useState } from 'react';
import { EmptyState } from '../components/EmptyState';
import { JobsIcon, SearchIcon, Spinner, WorkspaceIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { JobDetail } from '../jobs/JobDetail';
import { CompareView } from '../lineage/CompareView';
import { countByFilter, filterJobs, STATUS_FILTERS, type StatusFilter } from '../jobs/jobs-filter';
import { JobsTable } from '../jobs/JobsTable';
import { useJobsList } from '../jobs/use-jobs-list';
import { useDebounced } from '../jobs/use-now';
import { navigate, useHashLocation } from '../use-hash-route';

/** `#/jobs` is the table; `#/jobs/<id>` one job; `#/jobs/compare/<a>/<b>…` runs side by side. */
export function JobsPage() {
  const { path } = useHashLocation();
  const jobId = path[0];
  if (jobId === 'compare') return <CompareView ids={path.slice(1)} />;
  return jobId ? <JobDetail key={jobId} id={jobId} /> : <JobsList />;
}

// The table's filter, search and selection survive a visit to a job's page and back.
const remembered: { filter: StatusFilter; search: string; selectedId: string | null } = {
  filter: 'All',
  search: '',
  selectedId: null,
};

function JobsList() {
  const [filter, setFilterState] = useState<StatusFilter>(remembered.filter);
  const [search, setSearchState] = useState(remembered.search);
  const [selectedId, setSelectedState] = useState<string | null>(remembered.selectedId);
  const setFilter = (f: StatusFilter) => setFilterState((remembered.filter = f));
  const setSearch = (s: string) => setSearchState((remembered.search = s));
  const setSelected = useCallback((id: string) => setSelectedState((remembered.selectedId = id)), []);
  const engineSearch = useDebounced(search, 250);

  const list = useJobsList(filter, engineSearch);
  const rows = useMemo(() => filterJobs(list.jobs, filter, search), [list.jobs, filter, search]);
  const counts = useMemo(() => countByFilter(list.jobs), [list.jobs]);
  const open = useCallback((id: string) => navigate('jobs', id), []);
  const { loadMore } = list;

  if (list.loaded && !list.error && list.jobs.length === 0 && list.total === 0) return <NoJobsYet />;

  const filtered = filter !== 'All' || search.trim() !== '';
  // Counts beside the chips are over the loaded rows: "at least" until every job is loaded.
  const partial = list.total !== null && list.jobs.length < list.total;
  const footer = list.loadingMore
    ? 'Loading more jobs…'
    : list.total !== null && list.jobs.length < list.total && !filtered
      ? `${list.jobs.length} of ${list.total} jobs loaded — scroll for more`
      : undefined;

  return (
    <div className="page page-wide page-jobs" data-testid="page-jobs">
      <div className="toolbar jobs-toolbar">
        <div className="chips" role="group" aria-label="Filter by status">
          {STATUS_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              className={`chip${filter === f ? ' active' : ''}`}
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
            >
              {f}
              {list.loaded && !list.error ? (
                <span className="chip-count" title={partial ? 'Among the jobs loaded so far' : undefined}>
                  {f === 'All' && list.total !== null ? list.total : `${counts[f]}${partial ? '+' : ''}`}
                </span>
              ) : null}
            </button>
          ))}
        </div>
        <label className="search-box">
          <SearchIcon size={13} className="muted" />
          <input
            type="search"
            className="input"
            placeholder="Search name, id, workspace"
            aria-label="Search jobs"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setSearch('');
            }}
          />
        </label>
      </div>

      {list.error ? (
        <div className="jobs-error" data-testid="jobs-error">
          <InlineError prefix="Could not list jobs" message={list.error} />
          <p className="muted">
            Jobs are started from a workspace's <strong>Run</strong> button, or from a terminal: <code>kfd run &lt;folder&gt;</code>
          </p>
        </div>
      ) : !list.loaded ? (
        <p className="summary muted" aria-live="polite">
          <Spinner /> Loading jobs…
        </p>
      ) : rows.length === 0 ? (
        <p className="jobs-none muted" role="status">
          No {filter === 'All' ? '' : `${filter.toLowerCase()} `}jobs{search.trim() ? ` match “${search.trim()}”` : ''}.
        </p>
      ) : (
        <JobsTable
          jobs={rows}
          selectedId={selectedId}
          onSelect={setSelected}
          onOpen={open}
          onNearEnd={loadMore}
          footer={footer}
          viewKey={`${filter}\n${search}`}
        />
      )}
      <p className="jobs-count muted" aria-live="polite" data-testid="jobs-count">
        {list.loaded && !list.error ? summaryText(rows.length, list.total, filtered, list.matchTotal) : null}
      </p>
    </div>
  );
}

function summaryText(shown: number, total: number | null, filtered: boolean, matchTotal: number | null): string {
  const all = total ?? shown;
  if (!filtered) return `${all} ${all === 1 ? 'job' : 'jobs'}`;
  const found = matchTotal !== null && matchTotal > shown ? ` (${matchTotal} in all)` : '';
  return `${shown} of ${all} jobs shown${found}`;
}

function NoJobsYet() {
  return (
    <div className="page" data-testid="page-jobs">
      <EmptyState
        icon={<JobsIcon size={32} />}
        title="No training jobs yet"
        actions={
          <button type="button" className="btn btn-primary" onClick={() => navigate('workspace')}>
            <WorkspaceIcon size={14} />
            Go to Workspace
          </button>
        }
      >
        <p>
          Open a workspace and press <strong>Run</strong>, or from a terminal: <code>kfd run &lt;folder&gt;</code>
        </p>
        <p className="muted">
          Every job is the workspace's <code>trainjob.yaml</code>, run as local processes, in containers or on a cluster.
        </p>
      </EmptyState>
    </div>
  );
}

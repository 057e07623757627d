/** One job (`#/jobs/<id>`): header and actions, status timeline, failure, logs, metrics, ranks, warnings. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobDetail as Job, JobSummary } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, RerunIcon, Spinner, StopIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { LineagePanel } from '../lineage/LineagePanel';
import { JobModelPanel } from '../models/JobModelPanel';
import { PendingPromotes } from '../promote/PendingPromotes';
import { PromoteDialog } from '../promote/PromoteDialog';
import { PromoteIcon } from '../promote/promote-icons';
import { ownerHref, routeHref } from '../routes';
import { ownerLabel, ownerTitle } from './job-owner';
import { navigate } from '../use-hash-route';
import { formatDuration, jobDuration } from './duration';
import { ClusterPanel } from './ClusterPanel';
import { canCancel, rankNumbers } from './job-status';
import { FailurePanel, RanksTable, SpecWarnings, StartingPanel, StatusTimeline } from './JobDetailParts';
import { fresher, isFinal, shapeLabel } from './jobs-list';
import { backendLabel } from './JobsTable';
import { JobStatusBadge } from './JobStatusBadge';
import { LogView } from './LogView';
import { MetricCharts } from './MetricCharts';
import { useNow } from './use-now';

export function JobDetail({ id }: { id: string }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [job, setJob] = useState<Job | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'cancel' | 'rerun' | null>(null);
  const [promoting, setPromoting] = useState(false);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      const detail = await api.call('jobs.get', { id });
      setJob(detail);
      setLoadError(null);
    } catch (err) {
      setLoadError(errorText(err));
    }
  }, [api, id]);

  // The summary in the event updates the header at once; ranks and the failure log come with a
  // (coalesced) re-read of the job.
  useEffect(() => {
    const off = api.on('jobs.changed', (summary) => {
      if (summary.id !== id) return;
      setJob((prev) => (prev ? mergeSummary(prev, summary) : prev));
      if (refetchTimer.current) return;
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = null;
        void load();
      }, 400);
    });
    return () => {
      off();
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
      refetchTimer.current = null;
    };
  }, [api, id, load]);

  useEffect(() => {
    void load();
  }, [load, generation]);

  async function cancel(): Promise<void> {
    setBusy('cancel');
    setActionError(null);
    try {
      const summary = await api.call('jobs.cancel', { id });
      setJob((prev) => (prev ? mergeSummary(prev, summary) : prev));
    } catch (err) {
      setActionError(`Cancel failed: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  }

  async function rerun(): Promise<void> {
    setBusy('rerun');
    setActionError(null);
    try {
      const next = await api.call('jobs.rerun', { id });
      navigate('jobs', next.id);
    } catch (err) {
      setActionError(`Re-run failed: ${errorText(err)}`);
      setBusy(null);
    }
  }

  const back = (
    <a className="back-link" href={routeHref('jobs')}>
      <BackIcon size={13} /> All jobs
    </a>
  );

  if (!job) {
    return (
      <div className="page page-wide page-job" data-testid="page-job">
        {back}
        {loadError ? (
          <div data-testid="job-error">
            <InlineError prefix={`Could not open job ${id}`} message={loadError} />
          </div>
        ) : (
          <p className="summary muted">
            <Spinner /> Loading job…
          </p>
        )}
      </div>
    );
  }

  const running = !isFinal(job.status);
  return (
    <div className="page page-wide page-job" data-testid="page-job" data-job-id={job.id} data-status={job.status}>
      {back}
      <header className="job-header">
        <div className="job-title-row">
          <h2 className="job-title">{job.name}</h2>
          <JobStatusBadge status={job.status} />
          <div className="job-actions">
            {canCancel(job.status) ? (
              <button type="button" className="btn" onClick={() => void cancel()} aria-busy={busy === 'cancel'} disabled={busy !== null}>
                {busy === 'cancel' ? <Spinner size={13} /> : <StopIcon size={13} />}
                Cancel
              </button>
            ) : null}
            <button type="button" className="btn" onClick={() => void rerun()} aria-busy={busy === 'rerun'} disabled={busy !== null}>
              {busy === 'rerun' ? <Spinner size={13} /> : <RerunIcon size={13} />}
              Re-run
            </button>
            <button type="button" className="btn" onClick={() => setPromoting(true)} disabled={busy !== null} title="Run this job's trainjob.yaml on a cluster: see the diff first">
              <PromoteIcon size={13} />
              Promote…
            </button>
          </div>
        </div>
        <JobFacts job={job} />
        {actionError ? (
          <p className="field-error" role="alert">
            {actionError}
          </p>
        ) : null}
        {loadError ? <InlineError prefix="Could not refresh this job" message={loadError} /> : null}
      </header>

      <StatusTimeline job={job} />
      {job.status === 'Created' ? <StartingPanel job={job} /> : null}
      {job.status === 'Failed' || job.status === 'Cancelled' ? <FailurePanel job={job} /> : null}
      {job.warnings.length > 0 ? <SpecWarnings warnings={job.warnings} /> : null}
      <PendingPromotes jobId={job.id} />
      <LineagePanel job={job} />
      <JobModelPanel job={job} />
      {job.backend === 'kubernetes' ? <ClusterPanel job={job} /> : null}

      <section className="job-section" aria-labelledby="logs-heading">
        <h3 id="logs-heading">Logs</h3>
        <LogView jobId={job.id} live={running} ranks={rankNumbers(job)} />
      </section>

      <section className="job-section" aria-labelledby="metrics-heading">
        <h3 id="metrics-heading">Metrics</h3>
        <MetricCharts jobId={job.id} />
      </section>

      <section className="job-section" aria-labelledby="ranks-heading">
        <h3 id="ranks-heading">Ranks</h3>
        <RanksTable ranks={job.ranks} />
      </section>

      <details className="job-section job-spec">
        <summary>trainjob.yaml as submitted</summary>
        <pre className="code-block selectable">{job.spec}</pre>
      </details>
      {promoting ? <PromoteDialog job={job} onClose={() => setPromoting(false)} /> : null}
    </div>
  );
}

function JobFacts({ job }: { job: Job }) {
  const running = !isFinal(job.status);
  const now = useNow(running && job.startedAt !== null);
  const duration = jobDuration(job, now);
  const facts: [string, string][] = [
    ['Backend', backendLabel(job)],
    ['Nodes×procs', shapeLabel(job)],
    ['Duration', duration === null ? '—' : formatDuration(duration)],
    ['Workspace', job.workspace],
    ['Job id', job.id],
  ];
  // Which Docker or Podman engine (and socket) the containers run on.
  if (job.backend === 'container' && job.target) facts.splice(1, 0, ['Engine', job.target]);
  if (job.parentId) facts.push(['Parent job', job.parentId]);
  return (
    <dl className="job-facts">
      {facts.map(([k, v]) => (
        <div key={k} className="job-fact">
          <dt>{k}</dt>
          <dd className={k === 'Workspace' || k === 'Job id' || k === 'Parent job' ? 'mono selectable' : undefined}>
            {k === 'Parent job' ? <a href={routeHref('jobs', v)}>{v}</a> : v}
          </dd>
        </div>
      ))}
      {job.owner ? (
        <div className="job-fact" data-testid="job-owner-fact">
          <dt>{ownerTitle(job.owner)}</dt>
          <dd>
            <a href={ownerHref(job.owner)}>{ownerLabel(job.owner)}</a>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** A `jobs.changed` summary over the detail we hold (ranks and logs stay until re-read). */
function mergeSummary(job: Job, summary: JobSummary): Job {
  return fresher(job, summary) === summary ? { ...job, ...summary } : job;
}

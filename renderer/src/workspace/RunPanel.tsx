/** The last run beside the editor: its status, live logs (LogView) and metrics (MetricCharts). */
import type { JobSummary } from '../../../engine/api/contract';
import { MessageText } from '../components/MessageText';
import { rankNumbers } from '../jobs/job-status';
import { JobStatusBadge } from '../jobs/JobStatusBadge';
import { LogView } from '../jobs/LogView';
import { MetricCharts } from '../jobs/MetricCharts';
import { IMAGE_BACKENDS, PullProgressView, usePullProgress } from '../jobs/PullProgress';
import { jobHref } from '../routes';
import { isRunning } from './run-controller';
import { CloseIcon } from './workspace-icons';

export function RunPanel({ job, onClose }: { job: JobSummary; onClose(): void }) {
  const live = isRunning(job);
  const pull = usePullProgress(job.id, job.status === 'Created' && IMAGE_BACKENDS.includes(job.backend));
  return (
    <section className="ws-run-panel" aria-label={`Run of ${job.name}`} data-testid="run-panel" data-job-id={job.id} data-status={job.status}>
      <header className="ws-pane-header">
        <span className="ws-pane-title">Run</span>
        <span className="mono ws-run-name">{job.name}</span>
        <JobStatusBadge status={job.status} />
        <a className="ws-run-open" href={jobHref(job.id)}>
          Job page
        </a>
        <button type="button" className="btn btn-small btn-icon" aria-label="Close the run panel" onClick={onClose}>
          <CloseIcon size={12} />
        </button>
      </header>
      <div className="ws-run-body">
        {job.message && (job.status === 'Failed' || job.status === 'Created') ? (
          <p className={job.status === 'Failed' ? 'field-error' : 'muted'}>
            <MessageText text={job.message} />
          </p>
        ) : null}
        {pull && !pull.done ? <PullProgressView progress={pull} compact /> : null}
        <section className="ws-run-logs" aria-label="Logs">
          <h3 className="ws-run-heading">Logs</h3>
          <LogView key={job.id} jobId={job.id} live={live} ranks={rankNumbers(job)} />
        </section>
        <section className="ws-run-metrics" aria-label="Metrics">
          <h3 className="ws-run-heading">Metrics</h3>
          <MetricCharts jobId={job.id} />
        </section>
      </div>
    </section>
  );
}

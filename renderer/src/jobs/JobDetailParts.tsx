/** Smaller pieces of a job's page: the status timeline, the failure, spec warnings, the ranks. */
import type { JobDetail as Job, RankInfo, SpecIssue } from '../../../engine/api/contract';
import { Spinner, WarningIcon } from '../components/Icons';
import { MessageText } from '../components/MessageText';
import { AnsiText } from './AnsiText';
import { formatFullTimestamp, formatTimestamp } from './duration';
import { jobTimeline, rankExit } from './job-status';
import { RankStatusBadge } from './JobStatusBadge';
import { IMAGE_BACKENDS, PullProgressView, usePullProgress } from './PullProgress';

/** A job that has not started its ranks yet: what it is doing (environment, image pull or build) and how far it got. */
export function StartingPanel({ job }: { job: Job }) {
  const pull = usePullProgress(job.id, IMAGE_BACKENDS.includes(job.backend));
  return (
    <section className="job-starting" aria-live="polite" data-testid="job-starting">
      <p>
        <Spinner size={13} /> {job.message ? <MessageText text={job.message} /> : 'Starting…'}
      </p>
      {pull && !pull.done ? <PullProgressView progress={pull} /> : null}
      <p className="muted">Cancel stops it here; nothing has been started yet.</p>
    </section>
  );
}

export function StatusTimeline({ job }: { job: Job }) {
  const steps = jobTimeline(job);
  const now = Date.now();
  return (
    <ol className="timeline" aria-label="Status timeline" data-testid="status-timeline">
      {steps.map((step) => (
        <li key={step.label} className={`timeline-step step-${step.state} tone-${step.tone}`} aria-current={step.state === 'current' ? 'step' : undefined}>
          <span className="timeline-dot" aria-hidden="true" />
          <span className="timeline-label">{step.label}</span>
          <span className="timeline-time muted" title={step.at !== null ? formatFullTimestamp(step.at) : undefined}>
            {step.at !== null ? formatTimestamp(step.at, now, true) : step.state === 'skipped' ? 'did not start' : step.state === 'pending' ? '…' : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Why the job ended: the engine's message, and the first failing rank's last lines. */
export function FailurePanel({ job }: { job: Job }) {
  const failedRank = job.ranks.find((r) => r.status === 'Failed');
  const failed = job.status === 'Failed';
  return (
    <section className={`failure ${failed ? 'failure-error' : 'failure-note'}`} role={failed ? 'alert' : undefined} data-testid="job-failure">
      <h3>{failed ? 'Why it failed' : `Why it was ${job.status.toLowerCase()}`}</h3>
      <p className="failure-message">
        {job.message ? <MessageText text={job.message} /> : `The job ended with status ${job.status}${job.reason ? ` (${job.reason})` : ''}.`}
      </p>
      {job.failureLog.length > 0 ? (
        <>
          <p className="muted">
            {failedRank
              ? `Last lines of rank ${failedRank.globalRank} (node ${failedRank.nodeRank}, local ${failedRank.localRank}${rankExit(failedRank) ? `, ${rankExit(failedRank)}` : ''}):`
              : 'Last lines of the failing rank:'}
          </p>
          <pre className="code-block failure-log selectable" data-testid="failure-log">
            {job.failureLog.map((line, i) => (
              <div key={i}>
                <AnsiText text={line} />
              </div>
            ))}
          </pre>
        </>
      ) : null}
    </section>
  );
}

export function SpecWarnings({ warnings }: { warnings: readonly SpecIssue[] }) {
  return (
    <section className="spec-warnings" aria-labelledby="warnings-heading" data-testid="job-warnings">
      <h3 id="warnings-heading">
        <WarningIcon size={14} /> {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`} about trainjob.yaml
      </h3>
      <ul>
        {warnings.map((w, i) => {
          // Engine messages usually start with `trainjob.yaml:9:5 spec.x:` already.
          const placed = w.message.includes(`:${w.line}:${w.column}`);
          return (
            <li key={i}>
              {placed ? null : (
                <>
                  <span className="mono warning-where">
                    line {w.line}
                    {w.column > 0 ? `:${w.column}` : ''}
                  </span>
                  {w.path ? <code className="warning-path">{w.path}</code> : null}
                </>
              )}
              <span className="warning-message">
                <MessageText text={w.message} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function RanksTable({ ranks }: { ranks: readonly RankInfo[] }) {
  if (ranks.length === 0) return <p className="muted">No ranks have started yet.</p>;
  // Container jobs have no host pid: their ranks are known by the container they run in.
  const inContainers = ranks.some((r) => r.container);
  return (
    <div className="table-scroll">
      <table className="data-table ranks-table" data-testid="ranks-table">
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Node</th>
            <th scope="col">Local</th>
            <th scope="col">{inContainers ? 'Container' : 'PID'}</th>
            <th scope="col">Status</th>
            <th scope="col">Exit</th>
          </tr>
        </thead>
        <tbody>
          {ranks.map((r) => (
            <tr key={r.globalRank} data-rank={r.globalRank} data-status={r.status}>
              <td className="mono">
                <span className={`rank-tag rank-c${r.globalRank % 8}`}>r{r.globalRank}</span>
              </td>
              <td className="mono">{r.nodeRank}</td>
              <td className="mono">{r.localRank}</td>
              <td className="mono">{(inContainers ? r.container : r.pid) ?? '—'}</td>
              <td>
                <RankStatusBadge status={r.status} />
              </td>
              <td className="mono">{rankExit(r) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

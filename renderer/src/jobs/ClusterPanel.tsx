/**
 * A kubernetes job on its cluster: why it is still pending, TrainJob conditions, pods per node,
 * replicated-job counts and events. Read again every few seconds while the job is not final.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ClusterJobState, JobSummary } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText, KfdApiError } from '../api/client';
import { Spinner, WarningIcon } from '../components/Icons';
import { InlineError, MessageText } from '../components/MessageText';
import { conditionTone, newestFirst, pendingReasons, podRole, podsByNode, pollDelay } from './cluster-view';
import { formatFullTimestamp, formatTimestamp } from './duration';
import './job-cluster.css';

export function ClusterPanel({ job }: { job: Pick<JobSummary, 'id' | 'status'> }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [state, setState] = useState<ClusterJobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Nothing on the cluster yet: the job is still shipping its workspace (or never got there).
  const [notYet, setNotYet] = useState(false);
  const delay = pollDelay(job.status);

  const load = useCallback(async () => {
    try {
      setState(await api.call('jobs.cluster', { id: job.id }));
      setError(null);
      setNotYet(false);
    } catch (err) {
      const unsubmitted = err instanceof KfdApiError && err.code === 'not_found';
      setNotYet(unsubmitted);
      setError(unsubmitted ? null : errorText(err));
    }
  }, [api, job.id]);

  // Once on open and on every status change (the final one included), then on a timer while live.
  useEffect(() => {
    void load();
  }, [load, job.status, generation]);
  useEffect(() => {
    if (delay === null) return;
    const t = setInterval(() => void load(), delay);
    return () => clearInterval(t);
  }, [delay, load]);

  return (
    <section className="job-section" aria-labelledby="cluster-heading" data-testid="job-cluster">
      <h3 id="cluster-heading">
        On the cluster
        {state ? (
          <span className="cluster-where muted">
            TrainJob <span className="mono">{state.trainJob}</span> in <span className="mono">{state.context}/{state.namespace}</span> · workspace by {state.shipping}
            {state.live ? ' · live' : ' · as last seen by the app'}
          </span>
        ) : null}
      </h3>
      {error ? <InlineError prefix="Could not read the job from its cluster" message={error} /> : null}
      {!state && notYet ? (
        <p className="muted" data-testid="cluster-not-yet">
          {job.status === 'Created' ? 'Nothing on the cluster yet: the TrainJob is applied once the workspace has been shipped.' : 'This job never reached the cluster.'}
        </p>
      ) : null}
      {!state && !error && !notYet ? (
        <p className="muted">
          <Spinner /> Asking the cluster…
        </p>
      ) : null}
      {state ? <ClusterState state={state} final={delay === null} /> : null}
    </section>
  );
}

function ClusterState({ state, final }: { state: ClusterJobState; final: boolean }) {
  const waiting = final ? [] : pendingReasons(state);
  const groups = podsByNode(state);
  const events = newestFirst(state.events).slice(0, 100);
  return (
    <>
      {waiting.length > 0 ? (
        <div className="cluster-pending" role="status" data-testid="cluster-pending">
          <strong>
            <WarningIcon size={13} /> Waiting:
          </strong>
          <ul>
            {waiting.map((w) => (
              <li key={w}>
                <MessageText text={w} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {state.conditions.length > 0 ? (
        <ul className="cluster-conditions" aria-label="TrainJob conditions" data-testid="cluster-conditions">
          {state.conditions.map((c) => (
            <li key={c.type} className={`badge badge-${conditionTone(c)}`} title={[c.reason, c.message].filter(Boolean).join(': ')} data-type={c.type} data-status={c.status}>
              {c.type}: {c.status}
              {c.reason ? <span className="cluster-cond-reason"> ({c.reason})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}

      <h4 className="cluster-sub">Pods per node</h4>
      {groups.length === 0 ? (
        <p className="muted">No pods yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table cluster-pods" data-testid="cluster-pods">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Pod</th>
                <th scope="col">Role</th>
                <th scope="col">Phase</th>
                <th scope="col">Ready</th>
                <th scope="col">Restarts</th>
                <th scope="col">Exit</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {groups.flatMap((g) =>
                g.pods.map((p, i) => (
                  <tr key={p.name} data-testid="cluster-pod" data-phase={p.phase} data-node={g.node ?? ''}>
                    {i === 0 ? (
                      <th scope="rowgroup" rowSpan={g.pods.length} className="mono cluster-node">
                        {g.node ?? <span className="muted">not scheduled</span>}
                      </th>
                    ) : null}
                    <td className="mono selectable">{p.name}</td>
                    <td className="nowrap">{podRole(p)}</td>
                    <td className="nowrap">{p.phase}</td>
                    <td>{p.ready ? 'yes' : 'no'}</td>
                    <td className="mono">{p.restarts}</td>
                    <td className="mono">{p.exitCode ?? '—'}</td>
                    <td>
                      <div className="cluster-reason" title={p.reason ?? undefined}>
                        {p.reason ?? ''}
                      </div>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}

      {state.jobsStatus.length > 0 ? (
        <p className="cluster-jobs muted" data-testid="cluster-jobs-status">
          {state.jobsStatus.map((j) => `${j.name}: ${j.active} active, ${j.ready} ready, ${j.succeeded} succeeded, ${j.failed} failed${j.suspended ? `, ${j.suspended} suspended` : ''}`).join(' · ')}
        </p>
      ) : null}

      <details className="cluster-events" open={events.some((e) => e.type === 'Warning') && !final}>
        <summary>
          Events ({state.events.length}){state.events.some((e) => e.type === 'Warning') ? ' · includes warnings' : ''}
        </summary>
        {events.length === 0 ? (
          <p className="muted">No events.</p>
        ) : (
          <div className="table-scroll cluster-events-scroll">
            <table className="data-table" data-testid="cluster-events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Type</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Object</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e, i) => (
                  <tr key={`${e.time}-${e.object}-${e.reason}-${i}`} className={e.type === 'Warning' ? 'cluster-warning' : undefined}>
                    <td className="mono" title={formatFullTimestamp(e.time)}>
                      {formatTimestamp(e.time, Date.now(), true)}
                    </td>
                    <td>{e.type}</td>
                    <td>
                      {e.reason}
                      {e.count > 1 ? <span className="muted"> ×{e.count}</span> : null}
                    </td>
                    <td className="mono">{e.object}</td>
                    <td className="selectable">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </>
  );
}

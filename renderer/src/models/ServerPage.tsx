/** `#/models/servers/<id>`: one deployment — state, URL, Stop/Restart, Try it, load test, its job's logs, the InferenceService. */
import { useState } from 'react';
import type { Deployment } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CopyButton } from '../components/CopyButton';
import { BackIcon, RerunIcon, Spinner, StopIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { LogView } from '../jobs/LogView';
import { jobHref, routeHref } from '../routes';
import { DeploymentBadge } from './DeploymentBadge';
import { LoadTest } from './LoadTest';
import { deploymentWhere, isActive } from './model-view';
import { PromoteIsvcDialog } from './PromoteIsvcDialog';
import { TryIt } from './TryIt';
import { useLive } from './use-models';

export function ServerPage({ id }: { id: string }) {
  const api = useApi();
  const live = useLive(() => api.call('models.servers.get', { id }), [api, id], (p) => p.deploymentId === id || p.deploymentId === null);
  const [busy, setBusy] = useState<'stop' | 'restart' | 'refresh' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [promoting, setPromoting] = useState(false);
  const d = live.data;

  async function act(what: 'stop' | 'restart' | 'refresh') {
    setBusy(what);
    setError(null);
    try {
      if (what === 'refresh') await api.call('models.deployments.refresh', { id });
      else await api.call(what === 'stop' ? 'models.servers.stop' : 'models.servers.restart', { id });
      await live.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  if (!d) {
    return (
      <div className="page page-wide" data-testid="page-model-server">
        <a className="back-link" href={routeHref('models')}>
          <BackIcon size={13} /> Models
        </a>
        {live.error ? <InlineError prefix={`Could not open server ${id}`} message={live.error} /> : <p className="summary muted"><Spinner /> Loading…</p>}
      </div>
    );
  }

  const local = d.kind === 'local';
  return (
    <div className="page page-wide model-server" data-testid="page-model-server" data-id={d.id} data-state={d.state}>
      <a className="back-link" href={routeHref('models', d.modelName, d.versionName)}>
        <BackIcon size={13} /> {d.modelName}:{d.versionName}
      </a>
      <header className="job-header">
        <div className="job-title-row">
          <h2 className="job-title mono">
            {d.modelName}:{d.versionName}
          </h2>
          <DeploymentBadge state={d.state} />
          <div className="job-actions">
            {local && isActive(d) ? (
              <button type="button" className="btn" onClick={() => void act('stop')} disabled={busy !== null || d.state === 'Stopping'} data-testid="server-stop">
                {busy === 'stop' ? <Spinner size={13} /> : <StopIcon size={13} />}
                Stop
              </button>
            ) : null}
            {local ? (
              <button type="button" className="btn" onClick={() => void act('restart')} disabled={busy !== null} data-testid="server-restart">
                {busy === 'restart' ? <Spinner size={13} /> : <RerunIcon size={13} />}
                Restart
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => void act('refresh')} disabled={busy !== null}>
                {busy === 'refresh' ? <Spinner size={13} /> : <RerunIcon size={13} />}
                Refresh status
              </button>
            )}
            <button type="button" className="btn" onClick={() => setPromoting(true)}>
              Promote…
            </button>
          </div>
        </div>
        <ServerFacts d={d} />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        {d.state !== 'Ready' && d.message ? (
          <p className={d.state === 'Failed' ? 'model-message field-error' : 'model-message muted'} data-testid="server-message" role={d.state === 'Failed' ? 'alert' : 'status'}>
            {d.state === 'Preparing' || d.state === 'Starting' || d.state === 'Stopping' ? <Spinner size={13} /> : null} {d.message}
          </p>
        ) : null}
      </header>

      {d.kind === 'cluster' && d.conditions.length ? (
        <section className="job-section" aria-labelledby="cond-heading">
          <h3 id="cond-heading">Conditions</h3>
          <table className="data-table" data-testid="isvc-conditions">
            <thead><tr><th>Type</th><th>Status</th><th>Reason</th><th>Message</th></tr></thead>
            <tbody>
              {d.conditions.map((c) => (
                <tr key={c.type}><td>{c.type}</td><td>{c.status}</td><td>{c.reason ?? ''}</td><td>{c.message ?? ''}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {local && d.state === 'Ready' ? (
        <>
          <TryIt id={d.id} />
          <LoadTest id={d.id} />
        </>
      ) : null}

      {local && d.jobId ? (
        <section className="job-section" aria-labelledby="server-logs-heading">
          <h3 id="server-logs-heading">
            Server log <a className="small" href={jobHref(d.jobId)}>job {d.jobId}</a>
          </h3>
          <LogView key={d.jobId} jobId={d.jobId} live={d.jobStatus === 'Running' || d.jobStatus === 'Created'} ranks={[0]} />
        </section>
      ) : null}

      <details className="job-section job-spec">
        <summary>InferenceService (the same file goes to a cluster)</summary>
        <div className="model-yaml-actions">
          <CopyButton text={d.manifest} label="Copy YAML" />
        </div>
        <pre className="code-block selectable" data-testid="isvc-yaml">{d.manifest}</pre>
      </details>
      {promoting ? <PromoteIsvcDialog deployment={d.id} model={`${d.modelName}:${d.versionName}`} onClose={() => setPromoting(false)} /> : null}
    </div>
  );
}

function ServerFacts({ d }: { d: Deployment }) {
  return (
    <dl className="job-facts">
      <div className="job-fact">
        <dt>Where</dt>
        <dd>{deploymentWhere(d)}</dd>
      </div>
      <div className="job-fact">
        <dt>V2 base URL</dt>
        <dd className="mono selectable" data-testid="server-url">
          {d.url ?? (d.port ? `http://127.0.0.1:${d.port} (when ready)` : '—')} {d.url ? <CopyButton text={d.url} label="Copy" /> : null}
        </dd>
      </div>
      <div className="job-fact">
        <dt>Server id</dt>
        <dd className="mono selectable">{d.id}</dd>
      </div>
      {d.jobId ? (
        <div className="job-fact">
          <dt>Job</dt>
          <dd>
            <a className="mono" href={jobHref(d.jobId)}>{d.jobId}</a> {d.jobStatus ? <span className="muted">({d.jobStatus})</span> : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

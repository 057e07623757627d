/** One version: where it came from (lineage to the job), its file, what it was trained with, properties, deployments; Serve and Promote. */
import { useState } from 'react';
import type { ModelVersionDetail } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CopyButton } from '../components/CopyButton';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { formatBytes } from '../components/format-bytes';
import { jobHref, routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { DeploymentBadge } from './DeploymentBadge';
import { deploymentWhere, groupProperties, isActive, propertyText, propertyType, shortDigest } from './model-view';
import { PromoteIsvcDialog } from './PromoteIsvcDialog';
import { PushDialog } from './PushDialog';
import { useLive } from './use-models';

export function VersionDetail({ refName }: { refName: string }) {
  const api = useApi();
  const v = useLive(() => api.call('models.version', { model: refName }), [api, refName]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const [promoting, setPromoting] = useState(false);
  const [pushing, setPushing] = useState(false);

  if (!v.data) return v.error ? <InlineError prefix={`Could not read ${refName}`} message={v.error} /> : <p className="muted"><Spinner /> Loading…</p>;
  const d = v.data;
  const artifact = d.artifacts[0];
  const running = d.deployments.find((x) => x.kind === 'local' && isActive(x));

  async function serve(backend: 'local-process' | 'container') {
    setBusy(backend);
    setError(null);
    try {
      let chosen: string | undefined;
      if (backend === 'container') {
        chosen = image?.trim() || (await api.call('models.settings.get', {})).servingImage || undefined;
        if (!chosen) {
          setImage('');
          setError('Give the image to serve with (it needs MLServer and the libraries listed under “Trained with”).');
          return;
        }
      }
      const dep = await api.call('models.serve', { model: refName, backend, ...(chosen ? { image: chosen } : {}) });
      navigate('models', 'servers', dep.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  async function setState(state: 'LIVE' | 'ARCHIVED') {
    setBusy('state');
    try {
      await api.call('models.setState', { model: refName, state });
      await v.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="model-version" data-testid="model-version" data-version={`${d.model.name}:${d.name}`}>
      <div className="model-actions">
        {running ? (
          <a className="btn btn-primary" href={routeHref('models', 'servers', running.id)}>
            Open server ({running.state})
          </a>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => void serve('local-process')} disabled={busy !== null || d.state === 'ARCHIVED'} data-testid="serve-local" title="MLServer in a managed Python environment with the versions it was trained with">
            {busy === 'local-process' ? <Spinner size={13} /> : null}
            Serve
          </button>
        )}
        {!running ? (
          <button type="button" className="btn" onClick={() => void serve('container')} disabled={busy !== null || d.state === 'ARCHIVED'} title="MLServer in a container image">
            {busy === 'container' ? <Spinner size={13} /> : null}
            Serve in a container
          </button>
        ) : null}
        <button type="button" className="btn" onClick={() => setPromoting(true)} disabled={busy !== null}>
          Promote…
        </button>
        <button type="button" className="btn" onClick={() => setPushing(true)} disabled={busy !== null}>
          Push…
        </button>
        <button type="button" className="btn" onClick={() => void setState(d.state === 'LIVE' ? 'ARCHIVED' : 'LIVE')} disabled={busy !== null}>
          {d.state === 'LIVE' ? 'Archive' : 'Restore'}
        </button>
      </div>
      {image !== null ? (
        <div className="field-row model-image-row">
          <label htmlFor="serve-image">Image</label>
          <input id="serve-image" className="input mono" value={image} onChange={(e) => setImage(e.target.value)} placeholder="e.g. kfd-test/mlserver:bookworm" />
          <button type="button" className="btn btn-small" onClick={() => void serve('container')} disabled={!image.trim()}>
            Serve
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}

      <dl className="job-facts model-facts">
        <Fact k="Came from">
          {d.source.kind === 'job' ? (
            <>
              job <a href={jobHref(d.source.jobId)} className="mono" data-testid="lineage-job">{d.source.jobId}</a> <span className="muted mono">{d.source.path}</span>
            </>
          ) : d.source.kind === 'pipeline' ? (
            <span>
              pipeline run <span className="mono">{d.source.runId ?? '?'}</span>, task <span className="mono">{d.source.taskId ?? '?'}</span> <span className="muted mono">{d.source.path}</span>
            </span>
          ) : (
            <span className="mono">{d.source.path}</span>
          )}
        </Fact>
        {artifact ? (
          <>
            <Fact k="Format">
              {artifact.modelFormatName}
              {artifact.modelFormatVersion ? ` ${artifact.modelFormatVersion}` : ''} · <span className="mono">{artifact.modelFile}</span> · {formatBytes(artifact.sizeBytes)}
            </Fact>
            <Fact k="Stored copy">
              <span className="mono selectable" title={artifact.uri}>sha256 {shortDigest(artifact.digest)}</span> <CopyButton text={artifact.localPath} label="Copy path" />
            </Fact>
          </>
        ) : null}
        <Fact k="Registered">
          {new Date(Number(d.createTimeSinceEpoch)).toLocaleString()} by {d.author || '?'}
        </Fact>
      </dl>
      {d.description ? <p>{d.description}</p> : null}

      <section className="job-section" aria-labelledby="trained-heading">
        <h3 id="trained-heading">Trained with</h3>
        <p className="muted small">{d.trainingEnv.source}</p>
        {Object.keys(d.trainingEnv.packages).length ? (
          <ul className="model-libs" data-testid="training-libs">
            {d.trainingEnv.pythonVersion ? <li><span>Python</span> <span className="mono">{d.trainingEnv.pythonVersion}</span></li> : null}
            {Object.entries(d.trainingEnv.packages).map(([k, x]) => (
              <li key={k}>
                <span>{k}</span> <span className="mono">{x}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="muted small">Serving installs these versions (or refuses, naming the difference), so the server answers as the model did in training.</p>
      </section>

      <section className="job-section" aria-labelledby="tensors-heading">
        <h3 id="tensors-heading">Inputs and outputs</h3>
        {d.signature.inputs.length ? (
          <table className="data-table model-tensors">
            <thead>
              <tr><th></th><th>Name</th><th>Type</th><th>Shape</th></tr>
            </thead>
            <tbody>
              {[...d.signature.inputs.map((t) => ['input', t] as const), ...d.signature.outputs.map((t) => ['output', t] as const)].map(([kind, t]) => (
                <tr key={`${kind}:${t.name}`}>
                  <td className="muted">{kind}</td>
                  <td className="mono">{t.name}</td>
                  <td className="mono">{t.datatype}</td>
                  <td className="mono">[{t.shape.join(', ')}]</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p className="muted small">{d.signature.detail}</p>
      </section>

      <PropertiesSection version={d} />
      <DeploymentsSection version={d} />
      {promoting ? <PromoteIsvcDialog model={refName} onClose={() => setPromoting(false)} /> : null}
      {pushing ? <PushDialog model={refName} onClose={() => setPushing(false)} onPushed={() => void v.reload()} /> : null}
    </div>
  );
}

function Fact({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <div className="job-fact">
      <dt>{k}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function PropertiesSection({ version }: { version: ModelVersionDetail }) {
  // The training versions are shown above (they are properties too, kfd.training.*).
  const groups = groupProperties(version.customProperties).filter((g) => g.title !== 'Trained with');
  if (!groups.length) return null;
  return (
    <section className="job-section" aria-labelledby="props-heading">
      <h3 id="props-heading">Properties</h3>
      <div className="model-props">
        {groups.map((g) => (
          <table key={g.title} className="data-table model-props-table" data-testid={`props-${g.title}`}>
            <caption>{g.title}</caption>
            <tbody>
              {g.rows.map(([k, val]) => (
                <tr key={k}>
                  <th scope="row" className="mono">{k}</th>
                  <td className="mono selectable" title={val.metadataType}>{propertyText(val)}</td>
                  <td className="muted small">{propertyType(val)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}

function DeploymentsSection({ version }: { version: ModelVersionDetail }) {
  return (
    <section className="job-section" aria-labelledby="deploy-heading">
      <h3 id="deploy-heading">Deployments</h3>
      {version.deployments.length === 0 ? (
        <p className="muted">Not served yet. <strong>Serve</strong> starts MLServer on this machine; <strong>Promote…</strong> applies its InferenceService to a cluster with KServe.</p>
      ) : (
        <table className="data-table" data-testid="deployments">
          <thead>
            <tr><th>Server</th><th>Where</th><th>State</th><th>URL</th><th>Updated</th></tr>
          </thead>
          <tbody>
            {version.deployments.map((dep) => (
              <tr key={dep.id} data-testid="deployment-row" data-id={dep.id}>
                <td className="mono">
                  <a href={routeHref('models', 'servers', dep.id)}>{dep.id}</a>
                </td>
                <td>{deploymentWhere(dep)}</td>
                <td>
                  <DeploymentBadge state={dep.state} />
                </td>
                <td className="mono selectable">{dep.url ?? '—'}</td>
                <td className="muted">{new Date(dep.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {version.pushes.map((p) => (
        <p key={p.registry} className="muted small">
          Pushed to <span className="mono">{p.registry}</span> as model {p.registeredModelId}, version {p.modelVersionId} (<span className="mono">{p.uri}</span>), {new Date(p.at).toLocaleString()}.
        </p>
      ))}
    </section>
  );
}

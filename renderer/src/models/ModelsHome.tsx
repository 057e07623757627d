/** `#/models` and `#/models/<name>[/<version>]`: the registered models beside one version's detail. */
import type { ModelSummary } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { EmptyState } from '../components/EmptyState';
import { ModelsIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { routeHref } from '../routes';
import { useLive } from './use-models';
import { VersionDetail } from './VersionDetail';

export function ModelsHome({ name, version }: { name: string | undefined; version: string | undefined }) {
  const api = useApi();
  const list = useLive(() => api.call('models.list', {}), [api]);
  const models = list.data ?? [];
  const selected = models.find((m) => m.name === name) ?? (name ? null : (models[0] ?? null));

  if (list.error && !list.data) {
    return (
      <div className="page" data-testid="page-models">
        <InlineError prefix="Could not list models" message={list.error} />
      </div>
    );
  }
  if (!list.data) {
    return (
      <div className="page" data-testid="page-models">
        <p className="summary muted">
          <Spinner /> Loading models…
        </p>
      </div>
    );
  }
  if (models.length === 0) return <NoModelsYet />;

  return (
    <div className="page page-wide models-page" data-testid="page-models">
      <nav className="models-list" aria-label="Registered models">
        <h2 className="models-list-title">Models</h2>
        <ul>
          {models.map((m) => (
            <li key={m.id}>
              <a className={`models-item${m === selected ? ' active' : ''}`} href={routeHref('models', m.name)} aria-current={m === selected ? 'page' : undefined} data-testid="model-item" data-model={m.name}>
                <span className="models-item-name">{m.name}</span>
                <span className="models-item-meta muted">
                  {m.versions.length} {m.versions.length === 1 ? 'version' : 'versions'}
                  {m.latestVersion ? ` · latest ${m.latestVersion}` : ''}
                </span>
                {m.serving ? <span className="models-serving">{m.serving} serving</span> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section className="models-main" aria-label="Model">
        {selected ? <ModelPane model={selected} version={version} /> : <InlineError prefix={`No model “${name}”`} message="It may have been registered in another data folder. Pick one from the list." />}
      </section>
    </div>
  );
}

function ModelPane({ model, version }: { model: ModelSummary; version: string | undefined }) {
  const current = model.versions.find((v) => v.name === version) ?? model.versions[0];
  return (
    <>
      <header className="models-head">
        <h2 className="mono">{model.name}</h2>
        {model.description ? <p className="muted">{model.description}</p> : null}
        <div className="chips" role="tablist" aria-label="Versions">
          {model.versions.map((v) => (
            <a key={v.id} role="tab" aria-selected={v === current} className={`chip${v === current ? ' active' : ''}`} href={routeHref('models', model.name, v.name)}>
              {v.name}
              {v.state === 'ARCHIVED' ? <span className="chip-count">archived</span> : null}
            </a>
          ))}
        </div>
      </header>
      {current ? <VersionDetail key={`${model.name}:${current.name}`} refName={`${model.name}:${current.name}`} /> : <p className="muted">No versions.</p>}
    </>
  );
}

function NoModelsYet() {
  return (
    <div className="page" data-testid="page-models">
      <EmptyState icon={<ModelsIcon size={28} />} title="No models yet">
        <p>
          Train one (the <strong>sklearn</strong> template saves <code>model.joblib</code>), then on the job's page press <strong>Register model…</strong> — or from a terminal:
        </p>
        <pre className="code-block selectable">kfd models register --name digits --job &lt;job-id&gt; --path model.joblib</pre>
        <p className="muted">A registered version can be served locally behind the Open Inference Protocol, tried, pushed to a Kubeflow Model Registry, and promoted to a cluster with KServe.</p>
      </EmptyState>
    </div>
  );
}

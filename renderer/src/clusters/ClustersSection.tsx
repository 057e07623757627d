/**
 * Settings → Clusters & contexts: every kubeconfig context and local cluster, probed in
 * parallel (progress as each answers), with its namespace and image registry, and whatever in
 * the kubeconfig could not be read.
 */
import { InlineError, MessageText } from '../components/MessageText';
import { RefreshIcon, Spinner } from '../components/Icons';
import { sortTargets } from './targets-state';
import { TargetCard } from './TargetCard';
import { useTargets } from './use-targets';
import './clusters.css';

export function ClustersSection() {
  const targets = useTargets();
  const { state } = targets;
  const sorted = sortTargets(state.targets);
  const probing = state.probing.size;
  const done = sorted.filter((t) => t.probe && !state.probing.has(t.id)).length;

  return (
    <section className="panel" aria-labelledby="settings-clusters" data-testid="clusters-section">
      <div className="panel-head">
        <h2 id="settings-clusters">Clusters &amp; contexts</h2>
        <span className="muted" aria-live="polite" data-testid="clusters-progress">
          {!state.loaded ? (
            <>
              <Spinner size={12} /> Reading kubeconfig…
            </>
          ) : probing > 0 ? (
            <>
              <Spinner size={12} /> Probed {done} of {sorted.length}…
            </>
          ) : sorted.length > 0 ? (
            `${sorted.length} ${sorted.length === 1 ? 'target' : 'targets'}`
          ) : null}
        </span>
        <button type="button" className="btn btn-small" onClick={() => void targets.refresh()} disabled={!state.loaded || probing > 0}>
          <RefreshIcon size={12} /> Refresh
        </button>
      </div>
      <p className="field-help clusters-help">
        Kubernetes jobs run on these. Contexts come from{' '}
        {state.kubeconfigFiles.length ? <span className="mono">{state.kubeconfigFiles.join(', ')}</span> : <code>KUBECONFIG</code>} (the app never
        stores credentials; cloud logins run through the kubeconfig's own plugins).
      </p>
      {state.error ? <InlineError prefix="Could not list clusters" message={state.error} /> : null}
      {state.problems.length > 0 ? (
        <ul className="kubeconfig-problems" aria-label="Kubeconfig problems" data-testid="kubeconfig-problems">
          {state.problems.map((p) => {
            // A YAML error carries a code frame after a blank line: show it as code.
            const [head = p, ...frame] = p.split('\n\n');
            return (
              <li key={p} className="field-error">
                <MessageText text={head} />
                {frame.length > 0 ? <pre className="code-block kubeconfig-frame">{frame.join('\n\n')}</pre> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {state.loaded && !state.error && sorted.length === 0 ? (
        <p className="muted">
          No contexts and no local cluster. Create one on the Cluster page, or point <code>KUBECONFIG</code> at a kubeconfig file and press Refresh.
        </p>
      ) : null}
      {sorted.length > 0 ? (
        <ul className="target-list" aria-label="Cluster targets">
          {sorted.map((t) => (
            <TargetCard key={t.id} target={t} probing={state.probing.has(t.id)} probeError={state.probeErrors[t.id]} targets={targets} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

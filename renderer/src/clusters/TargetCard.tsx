/** One cluster target: what it is, what its probe found, its namespace and image registry. */
import type { KubeTarget } from '../../../engine/api/contract';
import { RefreshIcon, Spinner } from '../components/Icons';
import { MessageText } from '../components/MessageText';
import { SettingField } from '../components/SettingField';
import { StatusBadge } from '../components/StatusBadge';
import { authText, probeFacts, targetTone, toneLabel } from './targets-state';
import { namespaceChoices, useNamespaces } from './use-namespaces';
import type { TargetsApi } from './use-targets';

const NAMESPACE_SOURCE: Record<KubeTarget['namespaceSource'], string> = {
  setting: 'chosen here',
  context: "the context's own namespace",
  default: 'Kubernetes default',
};

export function TargetCard({ target, probing, probeError, targets }: { target: KubeTarget; probing: boolean; probeError: string | undefined; targets: TargetsApi }) {
  const { probe } = target;
  const tone = targetTone(probe, probing);
  const facts = probe ? probeFacts(target, probe) : [];
  const problems = probe?.problems ?? [];
  const namespaces = useNamespaces(target.id);
  return (
    <li className="target-card" data-testid="target-card" data-target-id={target.id} data-tone={tone}>
      <header className="target-head">
        <StatusBadge status={tone} label={toneLabel(tone, probe, probing)} />
        <h3 className="target-name mono">{target.context}</h3>
        <span className="target-kind muted">
          {target.kind === 'local-cluster' ? 'local kind cluster' : target.current ? 'kubeconfig · current context' : 'kubeconfig'}
        </span>
        <button type="button" className="btn btn-small target-probe" onClick={() => void targets.probe(target.id)} disabled={probing} aria-label={`Probe ${target.context} again`}>
          {probing ? <Spinner size={12} /> : <RefreshIcon size={12} />}
          Probe
        </button>
      </header>
      <p className="target-sub muted">
        <span className="mono selectable">{target.server}</span> · {authText(target)} · <span className="mono selectable" title="The kubeconfig file that defines this context">{target.kubeconfigPath}</span>
      </p>

      {probeError ? (
        <p className="field-error" role="alert">
          Probe failed: <MessageText text={probeError} />
        </p>
      ) : null}
      {facts.length > 0 ? (
        <dl className="target-facts" data-testid="target-facts">
          {facts.map((f) => (
            <div key={f.label} className={`target-fact${f.problem ? ' target-fact-problem' : ''}`}>
              <dt>{f.label}</dt>
              <dd className="selectable">{f.value}</dd>
            </div>
          ))}
        </dl>
      ) : !probeError ? (
        <p className="muted target-waiting">{probing ? 'Asking the cluster what it runs…' : 'Not probed yet.'}</p>
      ) : null}
      {problems.length > 0 ? (
        <ul className="target-problems" aria-label={`Problems with ${target.context}`}>
          {problems.map((p) => (
            <li key={p}>
              <MessageText text={p} />
            </li>
          ))}
        </ul>
      ) : null}

      <div className="target-settings">
        <SettingField
          label="Namespace"
          help={`Jobs go here (now: ${NAMESPACE_SOURCE[target.namespaceSource]}). Shipping: ${target.defaultShipping}${target.workspaceRoot ? `, workspaces under ${target.workspaceRoot}` : ''}.`}
          placeholder="default"
          value={target.namespace}
          suggestions={namespaceChoices(namespaces.list, target.namespace)}
          onFocus={namespaces.load}
          note={namespaces.list?.problem ?? null}
          onSave={async (ns) => {
            await targets.setNamespace(target.id, ns || 'default');
          }}
        />
        {target.kind === 'kubeconfig' ? (
          <SettingField
            label="Image registry"
            help="Where workspaces too large for a ConfigMap are pushed as images (the cluster must be able to pull from it). Empty: not configured."
            placeholder="host:port/project"
            value={target.imageRegistry ?? ''}
            onSave={async (registry) => {
              await targets.setImageRegistry(target.id, registry || null);
            }}
          />
        ) : null}
      </div>
    </li>
  );
}

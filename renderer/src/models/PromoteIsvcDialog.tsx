/**
 * Promote a version's InferenceService to a cluster with KServe: target, namespace and the
 * storageUri the cluster reads the model from; Check asks the cluster (CRD probe + server-side
 * dry run) and shows exactly what would be applied; Apply opens the new deployment.
 */
import { useMemo, useRef, useState } from 'react';
import type { IsvcPromotePreview } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { sortTargets } from '../clusters/targets-state';
import { useTargets } from '../clusters/use-targets';
import { CheckIcon, MissingIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { useFocusTrap } from '../components/use-focus-trap';
import { navigate } from '../use-hash-route';
import { CloseIcon } from '../workspace/workspace-icons';

export function PromoteIsvcDialog({ model, deployment, onClose }: { model: string; deployment?: string; onClose(): void }) {
  const api = useApi();
  const targets = useTargets({ probe: false });
  const list = useMemo(() => sortTargets(targets.state.targets), [targets.state.targets]);
  const [target, setTarget] = useState('');
  const [namespace, setNamespace] = useState('');
  const [storageUri, setStorageUri] = useState('');
  const [preview, setPreview] = useState<(IsvcPromotePreview & { key: string }) | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useFocusTrap(box);

  const chosen = target || list.find((t) => t.current)?.id || list[0]?.id || '';
  const input = { ...(deployment ? { deployment } : { model }), target: chosen, ...(namespace.trim() ? { namespace: namespace.trim() } : {}), ...(storageUri.trim() ? { storageUri: storageUri.trim() } : {}) };
  const key = JSON.stringify(input);
  const current = preview && preview.key === key ? preview : null;

  async function check() {
    setBusy('check');
    setError(null);
    try {
      setPreview({ ...(await api.call('models.promote.preview', input)), key });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  async function apply() {
    setBusy('apply');
    setError(null);
    try {
      const d = await api.call('models.promote.apply', input);
      onClose();
      navigate('models', 'servers', d.id);
    } catch (err) {
      setError(errorText(err));
      setBusy(null);
    }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className="dialog-frame promote-dialog isvc-dialog" role="dialog" aria-modal="true" aria-labelledby="isvc-promote-title" onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="isvc-promote-dialog">
        <header className="dialog-head">
          <h2 id="isvc-promote-title">
            Promote <span className="mono">{model}</span> to a cluster with KServe
          </h2>
          <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label="Close">
            <CloseIcon size={14} />
          </button>
        </header>
        <div className="promote-body">
          <div className="isvc-form">
            <div className="field">
              <label htmlFor="isvc-target">Cluster</label>
              {targets.state.loaded ? (
                list.length ? (
                  <select id="isvc-target" className="input" value={chosen} onChange={(e) => setTarget(e.target.value)}>
                    {list.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.kind === 'local-cluster' ? `Local ${t.context}` : t.context}
                      </option>
                    ))}
                  </select>
                ) : (
                  <p className="muted">No kubeconfig context and no local cluster.</p>
                )
              ) : (
                <p className="muted"><Spinner /> Reading kubeconfig…</p>
              )}
            </div>
            <div className="field">
              <label htmlFor="isvc-ns">Namespace</label>
              <input id="isvc-ns" className="input mono" value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder={list.find((t) => t.id === chosen)?.namespace ?? 'default'} />
            </div>
            <div className="field">
              <label htmlFor="isvc-uri">Model storage (storageUri)</label>
              <input id="isvc-uri" className="input mono" value={storageUri} onChange={(e) => setStorageUri(e.target.value)} placeholder="s3://bucket/models/digits/v1/" />
              <p className="field-help">The cluster cannot read this machine's copy. Upload the model folder there first (s3://, gs://, pvc://&lt;claim&gt;/&lt;path&gt;, oci://).</p>
            </div>
            <button type="button" className="btn" onClick={() => void check()} disabled={!chosen || busy !== null} data-testid="isvc-check">
              {busy === 'check' ? <Spinner size={13} /> : null}
              Check with the cluster
            </button>
          </div>
          <div className="promote-right isvc-preview">
            {error ? <InlineError prefix="Promote" message={error} /> : null}
            {current ? (
              <>
                <ul className="isvc-checks" data-testid="isvc-checks">
                  <li>{current.kserveInstalled ? <CheckIcon size={13} /> : <MissingIcon size={13} />} KServe InferenceService CRD (serving.kserve.io/v1beta1)</li>
                  {current.dryRun ? (
                    <li>
                      {current.dryRun.ok ? <CheckIcon size={13} /> : <MissingIcon size={13} />} Server-side dry run: {current.dryRun.message}
                    </li>
                  ) : null}
                </ul>
                {current.blocked ? <p className="field-error" role="alert" data-testid="isvc-blocked">{current.blocked}</p> : null}
                <pre className="code-block selectable" data-testid="isvc-manifest">{current.manifest}</pre>
              </>
            ) : (
              <p className="promote-empty muted">Check shows exactly what would be applied, and whether the cluster accepts it.</p>
            )}
          </div>
        </div>
        <footer className="dialog-foot">
          <span className="promote-status muted">Applied server-side with field manager kubeflow-desktop.</span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void apply()} disabled={!current || Boolean(current.blocked) || busy !== null} data-testid="isvc-apply">
            {busy === 'apply' ? <Spinner size={13} /> : null}
            Apply
          </button>
        </footer>
      </div>
    </div>
  );
}

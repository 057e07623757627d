/** Push a version to the Kubeflow Model Registry set in Settings → Models: with the uri you uploaded it to, or built into an OCI image and pushed. */
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { useFocusTrap } from '../components/use-focus-trap';
import { routeHref } from '../routes';
import { CloseIcon } from '../workspace/workspace-icons';

export function PushDialog({ model, onClose, onPushed }: { model: string; onClose(): void; onPushed(): void }) {
  const api = useApi();
  const [registry, setRegistry] = useState('');
  const [how, setHow] = useState<'uri' | 'oci'>('uri');
  const [uri, setUri] = useState('');
  const [image, setImage] = useState('');
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<string[]>([]);
  const [result, setResult] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useFocusTrap(box);
  useEffect(() => void api.call('models.settings.get', {}).then((s) => setRegistry(s.registryEndpoint)), [api]);
  useEffect(() => api.on('models.pushProgress', (p) => p.model === model && setSteps((s) => [...s.slice(-5), p.message])), [api, model]);

  async function push() {
    setBusy(true);
    setError(null);
    setSteps([]);
    try {
      const r = await api.call('models.push', { model, ...(registry.trim() ? { registry: registry.trim() } : {}), ...(how === 'uri' ? { uri: uri.trim() } : { oci: image.trim() }) });
      setResult([`Registered in ${r.registry}: model ${r.registeredModelId}, version ${r.modelVersionId}, artifact ${r.artifactId} (${r.uri}).`, ...r.notes]);
      onPushed();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const ready = registry.trim() && (how === 'uri' ? uri.trim() : image.trim());
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div ref={box} className="dialog-frame promote-dialog register-dialog" role="dialog" aria-modal="true" aria-labelledby="push-title" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()} data-testid="push-dialog">
        <header className="dialog-head">
          <h2 id="push-title">
            Push <span className="mono">{model}</span> to a Model Registry
          </h2>
          <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label="Close" disabled={busy}>
            <CloseIcon size={14} />
          </button>
        </header>
        <div className="register-form">
          <div className="field">
            <label htmlFor="push-registry">Model Registry</label>
            <input id="push-registry" className="input mono" value={registry} onChange={(e) => setRegistry(e.target.value)} placeholder="https://model-registry.example.com" />
            <p className="field-help">
              The token is the one in <a href={routeHref('settings')}>Settings → Models</a>.
            </p>
          </div>
          <fieldset className="field push-how">
            <legend>Where a cluster reads the model</legend>
            <label>
              <input type="radio" name="push-how" checked={how === 'uri'} onChange={() => setHow('uri')} /> I uploaded it to
            </label>
            {how === 'uri' ? <input className="input mono" aria-label="Model uri" value={uri} onChange={(e) => setUri(e.target.value)} placeholder="s3://bucket/models/digits/v1/" /> : null}
            <label>
              <input type="radio" name="push-how" checked={how === 'oci'} onChange={() => setHow('oci')} /> Build and push an image (KServe modelcar)
            </label>
            {how === 'oci' ? <input className="input mono" aria-label="Image" value={image} onChange={(e) => setImage(e.target.value)} placeholder="registry.example.com/team/digits:v1" /> : null}
          </fieldset>
          {busy && steps.length ? <pre className="code-block push-steps" aria-live="polite">{steps.join('\n')}</pre> : null}
          {error ? <p className="field-error" role="alert">{error}</p> : null}
          {result ? (
            <ul className="push-result" data-testid="push-result">
              {result.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : null}
          <footer className="dialog-foot">
            <button type="button" className="btn" onClick={onClose} disabled={busy}>
              {result ? 'Close' : 'Cancel'}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void push()} disabled={busy || !ready}>
              {busy ? <Spinner size={13} /> : null}
              Push
            </button>
          </footer>
        </div>
      </div>
    </div>
  );
}

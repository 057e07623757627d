/** Settings → Models: the Kubeflow Model Registry to push to (endpoint + token) and the image container serving uses. The token is write-only. */
import { useEffect, useState } from 'react';
import type { ModelSettings } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import './models.css';

export function ModelsSettings() {
  const api = useApi();
  const [s, setS] = useState<ModelSettings | null>(null);
  const [endpoint, setEndpoint] = useState('');
  const [image, setImage] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void api.call('models.settings.get', {}).then((v) => {
      setS(v);
      setEndpoint(v.registryEndpoint);
      setImage(v.servingImage);
    });
  }, [api]);

  async function save(patch: Parameters<typeof api.call<'models.settings.set'>>[1]) {
    setBusy(true);
    setNote(null);
    try {
      const v = await api.call('models.settings.set', patch);
      setS(v);
      setToken('');
      setNote({ ok: true, text: 'Saved.' });
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel models-settings" aria-labelledby="models-settings-heading" data-testid="models-settings">
      <h2 id="models-settings-heading">Models</h2>
      {!s ? (
        <p className="muted"><Spinner /> Loading…</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save({ registryEndpoint: endpoint, servingImage: image, ...(token.trim() ? { token: token.trim() } : {}) });
          }}
        >
          <div className="field">
            <label htmlFor="mr-endpoint">Model Registry endpoint</label>
            <input id="mr-endpoint" className="input mono" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="https://model-registry.example.com" />
            <p className="field-help">A Kubeflow Model Registry's REST base URL; <code>kfd models push</code> and Push use it.</p>
          </div>
          <div className="field">
            <label htmlFor="mr-token">Registry token</label>
            <input id="mr-token" className="input mono" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder={s.tokenSet ? '•••••••• (set; type to replace)' : 'none'} />
            <p className="field-help">
              {s.tokenSource === 'env' ? 'KFD_MODEL_REGISTRY_TOKEN is set and wins. ' : ''}
              Kept in a private file in the app's data folder (never in its database or logs), sent only as the Authorization header.
              {s.tokenSet && s.tokenSource === 'file' ? (
                <>
                  {' '}
                  <button type="button" className="btn btn-small" onClick={() => void save({ clearToken: true })} disabled={busy}>
                    Remove token
                  </button>
                </>
              ) : null}
            </p>
          </div>
          <div className="field">
            <label htmlFor="mr-image">Serving image (containers)</label>
            <input id="mr-image" className="input mono" value={image} onChange={(e) => setImage(e.target.value)} placeholder="an image with MLServer and your model's libraries" />
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? <Spinner size={13} /> : null}
            Save
          </button>
          {note ? <span className={note.ok ? 'field-ok' : 'field-error'} role="status"> {note.text}</span> : null}
        </form>
      )}
    </section>
  );
}

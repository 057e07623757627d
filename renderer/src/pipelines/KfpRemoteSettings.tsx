/**
 * Settings → Kubeflow Pipelines: the endpoint and namespace runs are handed to, and the bearer
 * token — kept in a file only you can read (or KFD_KFP_TOKEN), never in the app's database and
 * never shown again.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { KfpRemote } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { InlineError } from '../components/MessageText';

export function KfpRemoteSettings() {
  const api = useApi();
  const [remote, setRemote] = useState<KfpRemote | null>(null);
  const [endpoint, setEndpoint] = useState('');
  const [namespace, setNamespace] = useState('');
  const [token, setToken] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('pipelines.remote.get', {}).then((r) => {
      setRemote(r);
      setEndpoint(r.endpoint);
      setNamespace(r.namespace);
    }, (err: unknown) => setError(errorText(err)));
  }, [api]);
  async function save(e: FormEvent, clearToken = false) {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.call('pipelines.remote.configure', { endpoint, namespace, ...(token || clearToken ? { token: clearToken ? '' : token } : {}) });
      setRemote(r);
      setToken('');
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    }
  }
  const source = remote?.tokenSource === 'env' ? 'from KFD_KFP_TOKEN (it wins over a saved one)' : remote?.tokenSource === 'file' ? 'saved (in a file only you can read, not in the database)' : 'none';
  return (
    <section className="panel" aria-labelledby="settings-kfp">
      <h2 id="settings-kfp">Kubeflow Pipelines</h2>
      <p className="field-help">Where “Send to Kubeflow Pipelines” uploads a pipeline and starts its run (KFP’s v2beta1 API).</p>
      <form onSubmit={(e) => void save(e)} data-testid="kfp-settings">
        <div className="field">
          <label htmlFor="kfp-endpoint">Endpoint</label>
          <input id="kfp-endpoint" className="input mono" value={endpoint} onChange={(e) => { setEndpoint(e.target.value); setSaved(false); }} placeholder="http://localhost:8080" />
        </div>
        <div className="field">
          <label htmlFor="kfp-namespace">Namespace</label>
          <input id="kfp-namespace" className="input mono" value={namespace} onChange={(e) => { setNamespace(e.target.value); setSaved(false); }} placeholder="(the server's default)" />
        </div>
        <div className="field">
          <label htmlFor="kfp-token">Token</label>
          <input id="kfp-token" className="input mono" type="password" autoComplete="off" value={token} onChange={(e) => { setToken(e.target.value); setSaved(false); }} placeholder={remote?.tokenSource ? '•••••• (leave empty to keep)' : 'bearer token, if the server needs one'} />
          <span className="field-help">Current token: {source}.</span>
        </div>
        <div className="field-row">
          <button type="submit" className="btn btn-primary">Save</button>
          {remote?.tokenSource === 'file' ? <button type="button" className="btn" onClick={(e) => void save(e, true)}>Forget the token</button> : null}
          {saved ? <span className="muted" role="status">Saved.</span> : null}
        </div>
      </form>
      {error ? <InlineError prefix="Could not save" message={error} /> : null}
    </section>
  );
}

/**
 * Where notebooks run: the Jupyter server's state and interpreter, and — when no Python here has
 * jupyter_server + ipykernel — the exact commands to install them, plus a one-click install into
 * a managed environment (needs a package index).
 */
import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput, ServerStatus } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CopyButton } from '../components/CopyButton';
import { RefreshIcon, Spinner } from '../components/Icons';

type Servers = MethodOutput<'notebooks.servers'>;

const STATE_LABEL: Record<ServerStatus['state'], string> = {
  stopped: 'Not started',
  starting: 'Starting',
  running: 'Running',
  restarting: 'Restarting',
  failed: 'Failed',
  missing: 'Jupyter not installed',
  installing: 'Installing',
};

export function useJupyterServers() {
  const api = useApi();
  const [servers, setServers] = useState<Servers | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const refresh = useCallback(
    async (deep = false) => {
      setChecking(true);
      try {
        setServers(await api.call('notebooks.servers', { refresh: deep }));
        setError(null);
      } catch (err) {
        setError(errorText(err));
      } finally {
        setChecking(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void refresh();
    return api.on('notebooks.serverStatus', (status) => {
      setServers((s) => (s ? { ...s, status } : s));
      if (status.state === 'stopped' || status.state === 'running' || status.state === 'missing') void refresh();
    });
  }, [api, refresh]);

  return { servers, error, checking, refresh };
}

export function JupyterPanel({ compact = false }: { compact?: boolean }) {
  const api = useApi();
  const { servers, error, checking, refresh } = useJupyterServers();
  const status = servers?.status;
  const guide = servers?.guide;
  const usable = servers?.candidates.filter((c) => c.jupyterServer && c.ipykernel) ?? [];

  return (
    <section className="panel nb-jupyter" aria-label="Jupyter" data-testid="jupyter-panel" data-state={status?.state ?? 'unknown'}>
      <div className="nb-jupyter-head">
        <h2>Jupyter</h2>
        <span className={`badge ${status?.state === 'running' ? 'badge-ok' : status?.state === 'missing' || status?.state === 'failed' ? 'badge-missing' : 'badge-pending'}`}>
          {status?.state === 'starting' || status?.state === 'installing' || status?.state === 'restarting' ? <Spinner size={12} /> : null}
          {status ? STATE_LABEL[status.state] : 'Checking…'}
        </span>
        <button type="button" className="btn btn-small" onClick={() => void refresh(true)} disabled={checking} aria-label="Check Jupyter again">
          <RefreshIcon size={12} /> Check again
        </button>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {status ? <p className="pre-wrap nb-jupyter-message">{status.message}</p> : null}
      {status?.python ? (
        <p className="muted">
          Interpreter: <code>{status.python}</code>
          {status.restarts ? ` · restarted ${status.restarts}×` : ''}
        </p>
      ) : null}
      {guide ? (
        <div className="nb-guide" data-testid="jupyter-guide">
          <p>Notebooks need a Python with <code>jupyter_server</code> and <code>ipykernel</code>. Install them with one of:</p>
          {guide.commands.map((cmd) => (
            <div className="command" key={cmd}>
              <code>{cmd}</code>
              <CopyButton text={cmd} />
            </div>
          ))}
          {guide.canInstallManaged ? (
            <p>
              <button type="button" className="btn" disabled={status?.state === 'installing'} onClick={() => void api.call('notebooks.installJupyter', {}).catch(() => undefined)}>
                Install into a managed environment
              </button>{' '}
              <span className="muted">builds a private venv with pip (needs access to a package index)</span>
            </p>
          ) : null}
        </div>
      ) : null}
      {!compact && usable.length > 1 ? (
        <details className="nb-candidates">
          <summary>{usable.length} interpreters have Jupyter</summary>
          <ul>
            {usable.map((c) => (
              <li key={c.executable}>
                <code>{c.executable}</code> <span className="muted">({c.source}, jupyter_server {c.jupyterServer})</span>{' '}
                <button type="button" className="btn btn-small" onClick={() => void api.call('notebooks.startServer', { python: c.executable })}>
                  Use
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** "Try it": the request built from the server's metadata (GET /v2/models/{name}), editable; Send shows the outputs and the latency. */
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { ms, outputRows, parseRequest, prettyJson, randomRequest, type V2Tensor } from './model-view';

export function TryIt({ id }: { id: string }) {
  const api = useApi();
  const [metadata, setMetadata] = useState<{ inputs?: V2Tensor[]; outputs?: V2Tensor[]; name?: string } | null>(null);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ status: number; response: unknown; latencyMs: number } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('models.servers.metadata', { id }).then(
      (m) => {
        if (!alive) return;
        setMetadata(m.metadata as typeof metadata);
        setText(prettyJson(m.example));
      },
      (err: unknown) => alive && setLoadError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [api, id]);

  const parsed = parseRequest(text);
  async function send() {
    if ('error' in parsed) return;
    setSending(true);
    setSendError(null);
    try {
      setResult(await api.call('models.servers.infer', { id, request: parsed.request }));
    } catch (err) {
      setSendError(errorText(err));
    } finally {
      setSending(false);
    }
  }

  const table = result ? outputRows(result.response) : null;
  return (
    <section className="job-section try-it" aria-labelledby="try-heading" data-testid="try-it">
      <h3 id="try-heading">Try it</h3>
      {loadError ? <InlineError prefix="Could not read the model's metadata" message={loadError} /> : null}
      {!metadata && !loadError ? <p className="muted"><Spinner /> Reading the model's metadata…</p> : null}
      {metadata ? (
        <div className="try-grid">
          <div className="try-request">
            <div className="try-toolbar">
              <span className="muted small">
                POST /v2/models/{metadata.name}/infer — inputs {metadata.inputs?.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ') || 'not declared'}
              </span>
              <button type="button" className="btn btn-small" onClick={() => setText(prettyJson(randomRequest(metadata, 1)))} title="Random values 0–16 (the digits' pixel range)">
                Random input
              </button>
            </div>
            <textarea className="input mono try-json" aria-label="Infer request (JSON)" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={10} data-testid="try-request" />
            {'error' in parsed ? <p className="field-error">{parsed.error}</p> : null}
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending || 'error' in parsed} data-testid="try-send">
              {sending ? <Spinner size={13} /> : null}
              Send
            </button>
          </div>
          <div className="try-response" aria-live="polite">
            {sendError ? <InlineError prefix="The call failed" message={sendError} /> : null}
            {result ? (
              <>
                <p className="try-latency" data-testid="try-latency">
                  HTTP {result.status} · <strong>{ms(result.latencyMs)}</strong>
                </p>
                {table ? (
                  <table className="data-table" data-testid="try-outputs">
                    <thead>
                      <tr>
                        <th>#</th>
                        {table.names.map((n) => <th key={n}>{n}</th>)}
                      </tr>
                    </thead>
                    <tbody>
                      {table.rows.map((r, i) => (
                        <tr key={i}>
                          <td className="muted">{i}</td>
                          {r.map((c, j) => <td key={j} className="mono">{c}</td>)}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
                <details>
                  <summary className="small">Raw answer</summary>
                  <pre className="code-block selectable">{JSON.stringify(result.response, null, 1)}</pre>
                </details>
              </>
            ) : (
              <p className="muted">The answer shows here.</p>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}

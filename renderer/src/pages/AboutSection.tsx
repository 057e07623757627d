import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { InlineError } from '../components/MessageText';

type AppInfo = MethodOutput<'app.info'>;

export function AboutSection() {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('app.info', {}).then(
      (i) => alive && setInfo(i),
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [api]);

  const rows: [string, string][] = info
    ? [
        ['Version', info.version],
        ['Data directory', info.dataDir],
        ['Database', info.databasePath],
        ['Schema version', String(info.schemaVersion)],
        ['Platform', info.platform],
        ['Node.js', info.node],
        ['Transport', api.transport === 'electron' ? 'Desktop (IPC)' : 'Web mode (HTTP + WebSocket)'],
      ]
    : [];

  return (
    <section className="panel" aria-labelledby="settings-about" data-testid="about">
      <h2 id="settings-about">About</h2>
      {error ? (
        <InlineError prefix="Could not read app info" message={error} />
      ) : null}
      {!info && !error ? <p className="muted">Loading…</p> : null}
      {info ? (
        <dl className="about-list">
          {rows.map(([k, v]) => (
            <div key={k} className="about-row">
              <dt>{k}</dt>
              <dd className="mono selectable">{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}

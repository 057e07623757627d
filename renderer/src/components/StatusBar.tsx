import { useApi, useEngineStatus, useObservable } from '../api/ApiProvider';
import type { ConnectionState } from '../api/client';
import { Spinner } from './Icons';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Events: connecting…',
  connected: 'Events: live',
  reconnecting: 'Events: reconnecting…',
  'signed-out': 'Events: not signed in',
};

export function StatusBar() {
  const api = useApi();
  const { engine } = useEngineStatus();
  const connection = useObservable(api.connection);

  const engineText =
    engine.state === 'ok' ? `Engine ${engine.version}` : engine.state === 'checking' ? 'Engine: checking…' : 'Engine unreachable';

  return (
    <footer className="statusbar" aria-label="Status">
      <span className="status-item" data-testid="status-transport">
        {api.transport === 'electron' ? 'Desktop' : 'Web mode'}
      </span>
      <span
        className={`status-item ${engine.state === 'error' ? 'status-bad' : ''}`}
        data-testid="status-engine"
        title={engine.state === 'error' ? engine.message : undefined}
      >
        {engineText}
      </span>
      <span className="status-item status-events" data-testid="status-events" data-state={connection} aria-live="polite">
        {connection === 'connecting' || connection === 'reconnecting' ? (
          <Spinner size={11} />
        ) : (
          <span className={`dot dot-${connection}`} aria-hidden="true" />
        )}
        {CONNECTION_TEXT[connection]}
      </span>
    </footer>
  );
}

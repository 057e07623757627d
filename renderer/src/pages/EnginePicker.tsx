/**
 * The container engines this machine has (every address the container backend would try, and
 * which answer), each with a button that makes it the containerSocket setting. Docker and
 * Podman side by side are picked here; the text field above takes any other address.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ContainerEngine } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';

export function EnginePicker({ setting, onPick }: { setting: string; onPick(address: string): Promise<void> }) {
  const api = useApi();
  const [engines, setEngines] = useState<ContainerEngine[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('images.engines', {}).then(
      (r) => (setEngines(r.engines), setError(null)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [api]);
  useEffect(load, [load, setting]);

  async function pick(address: string): Promise<void> {
    try {
      await onPick(address);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (error) return <p className="field-error" role="alert">{error}</p>;
  if (!engines) return <p className="muted"><Spinner size={12} /> Looking for Docker and Podman…</p>;
  return (
    <div className="engine-picker" aria-label="Container engines on this machine" role="group" data-testid="engine-picker">
      <ul>
        {engines.map((e) => (
          <li key={e.address} data-in-use={e.inUse} data-answers={e.engine !== null}>
            <span className="engine-name">{e.engine ? `${e.engine} ${e.version}` : 'not answering'}</span>
            <span className="mono engine-address">{e.address}</span>
            <span className="muted engine-note">{e.error ?? (e.inUse ? (setting ? 'in use (chosen)' : 'in use (discovered)') : '')}</span>
            {e.engine && !(e.inUse && setting === e.address) ? (
              <button type="button" className="btn btn-small" onClick={() => void pick(e.address)} aria-label={`Use ${e.engine} at ${e.address}`}>
                Use
              </button>
            ) : <span />}
          </li>
        ))}
      </ul>
      {setting ? (
        <button type="button" className="btn btn-small" onClick={() => void pick('')}>
          Discover again (clear the setting)
        </button>
      ) : null}
    </div>
  );
}

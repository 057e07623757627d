import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from './client';
import { errorText } from './envelope';
import type { Observable } from './observable';

/** Whether the engine answers `version`: drives the status bar and the "cannot reach" banner. */
export type EngineStatus =
  | { state: 'checking' }
  | { state: 'ok'; version: string }
  | { state: 'error'; message: string; code: string };

interface ApiContextValue {
  client: ApiClient;
  engine: EngineStatus;
  /** Goes up each time the engine answers again after failing: pages reload their data. */
  generation: number;
  recheckEngine(): void;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [engine, setEngine] = useState<EngineStatus>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const [generation, setGeneration] = useState(0);
  const [wasDown, setWasDown] = useState(false);
  const connection = useObservable(client.connection);

  useEffect(() => {
    let alive = true;
    client
      .call('version', {})
      .then((v) => alive && setEngine({ state: 'ok', version: v.version }))
      .catch((err: unknown) => {
        const code = typeof err === 'object' && err && 'code' in err ? String(err.code) : 'internal';
        if (alive) setEngine({ state: 'error', message: errorText(err), code });
      });
    return () => {
      alive = false;
    };
    // Re-ask when the event stream comes back: the engine was probably restarted.
  }, [client, attempt, connection === 'connected']);

  // Adjust state during render (React's recommended pattern for derived transitions).
  if (engine.state === 'error' && !wasDown) setWasDown(true);
  if (engine.state === 'ok' && wasDown) {
    setWasDown(false);
    setGeneration((g) => g + 1);
  }

  const recheckEngine = useCallback(() => {
    setEngine({ state: 'checking' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ client, engine, generation, recheckEngine }), [client, engine, generation, recheckEngine]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const ctx = useContext(ApiContext);
  if (!ctx) throw new Error('API hooks must be used inside <ApiProvider>');
  return ctx;
}

export function useApi(): ApiClient {
  return useApiContext().client;
}

export function useEngineStatus(): { engine: EngineStatus; generation: number; recheckEngine(): void } {
  const { engine, generation, recheckEngine } = useApiContext();
  return { engine, generation, recheckEngine };
}

export function useObservable<T>(value: Observable<T>): T {
  return useSyncExternalStore(value.subscribe, value.get, value.get);
}

/** Models data for the pages: loaded once, re-read (coalesced) on `models.changed`. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';

/** Calls `load` now, on engine reconnects, and shortly after each `models.changed` that `matches`. */
export function useLive<T>(load: () => Promise<T>, deps: unknown[], matches: (p: { modelName: string | null; deploymentId: string | null }) => boolean = () => true) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(async () => {
    try {
      const v = await load();
      if (alive.current) {
        setData(v);
        setError(null);
      }
    } catch (err) {
      if (alive.current) setError(errorText(err));
    }
  }, deps);
  useEffect(() => {
    alive.current = true;
    void reload();
    const off = api.on('models.changed', (p) => {
      if (!matches(p) || timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        void reload();
      }, 150);
    });
    return () => {
      alive.current = false;
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [reload, generation]);
  return { data, error, reload };
}

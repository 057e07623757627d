/** Live data for the Experiments page: the list and one experiment, refreshed on `experiments.changed`. */
import { useEffect, useRef, useState } from 'react';
import type { ExperimentDetail, ExperimentSummary } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';

export function useExperimentList(): { experiments: ExperimentSummary[] | null; error: string | null } {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [experiments, setExperiments] = useState<ExperimentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      api.on('experiments.changed', (e) =>
        setExperiments((list) => {
          if (!list) return list;
          const i = list.findIndex((x) => x.id === e.id);
          return i < 0 ? [e, ...list] : list.map((x) => (x.id === e.id ? e : x));
        }),
      ),
    [api],
  );
  useEffect(() => {
    let alive = true;
    api
      .call('experiments.list', {})
      .then((r) => alive && setExperiments(r.experiments))
      .catch((err: unknown) => alive && setError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api, generation]);
  return { experiments, error };
}

/** One experiment; re-read (at most every 400 ms) whenever it changes. */
export function useExperiment(id: string): { experiment: ExperimentDetail | null; error: string | null; reload(): void } {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [experiment, setExperiment] = useState<ExperimentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const off = api.on('experiments.changed', (e) => {
      if (e.id !== id && !e.id.startsWith(id)) return;
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        setTick((n) => n + 1);
      }, 400);
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [api, id]);
  useEffect(() => {
    let alive = true;
    api
      .call('experiments.get', { id })
      .then((e) => {
        if (!alive) return;
        setExperiment(e);
        setError(null);
      })
      .catch((err: unknown) => alive && setError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api, id, generation, tick]);
  return { experiment, error, reload: () => setTick((n) => n + 1) };
}

/**
 * The notebook's kernel, through the API only: started on first run (or picked up again after a
 * reload), cells sent to it, and its events turned into editor actions — batched per frame, so
 * a chatty loop costs one render per frame, not one per message.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { KernelSessionInfo, KernelStatus } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText, KfdApiError } from '../api/client';
import type { NotebookAction } from './notebook-state';

export interface KernelError {
  code: string;
  message: string;
}

const FLUSH_MS = 16;

export function useKernel(root: string | null, path: string, dispatch: Dispatch<NotebookAction>, kernelName: () => string | undefined) {
  const api = useApi();
  const [session, setSession] = useState<KernelSessionInfo | null>(null);
  const [status, setStatus] = useState<KernelStatus | 'none'>('none');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<KernelError | null>(null);
  const sessionRef = useRef<KernelSessionInfo | null>(null);
  const startingRef = useRef<Promise<KernelSessionInfo | null> | null>(null);
  const queue = useRef<NotebookAction[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const adopt = useCallback((s: KernelSessionInfo | null) => {
    sessionRef.current = s;
    setSession(s);
    setStatus(s?.status ?? 'none');
  }, []);

  // After a page reload the kernel is still running in the engine: pick it up.
  useEffect(() => {
    if (!root) return;
    let alive = true;
    api
      .call('notebooks.sessions', {})
      .then((list) => alive && !sessionRef.current && adopt(list.find((s) => s.root === root && s.path === path) ?? null))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, root, path, adopt]);

  useEffect(() => {
    const push = (a: NotebookAction) => {
      queue.current.push(a);
      timer.current ??= setTimeout(() => {
        timer.current = null;
        dispatch({ type: 'batch', actions: queue.current.splice(0) });
      }, FLUSH_MS);
    };
    const mine = (p: { sessionId: string }) => p.sessionId === sessionRef.current?.sessionId;
    const offs = [
      api.on('notebooks.output', (e) => mine(e) && push({ type: 'output', event: e })),
      api.on('notebooks.cellStarted', (e) => mine(e) && push({ type: 'started', key: e.cellId, executionCount: e.executionCount })),
      api.on('notebooks.cellDone', (e) => mine(e) && push({ type: 'done', key: e.cellId, status: e.status, executionCount: e.executionCount })),
      api.on('notebooks.kernelStatus', (e) => {
        if (!mine(e)) return;
        setStatus(e.status);
        if (e.status === 'dead') {
          push({ type: 'stopAll' });
          adopt(null);
        }
      }),
    ];
    return () => {
      for (const off of offs) off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [api, dispatch, adopt]);

  /** The running kernel, starting one if needed; null (with `error` set) when it cannot start. */
  const ensure = useCallback(async (name?: string): Promise<KernelSessionInfo | null> => {
    if (sessionRef.current && !name) return sessionRef.current;
    if (!root) return null;
    startingRef.current ??= (async () => {
      setStarting(true);
      setError(null);
      setStatus('starting');
      try {
        const spec = name ?? kernelName();
        const s = await api.call('notebooks.startKernel', { root, path, ...(spec ? { kernelName: spec } : {}) });
        adopt(s);
        return s;
      } catch (err) {
        setError({ code: err instanceof KfdApiError ? err.code : 'internal', message: errorText(err) });
        setStatus('none');
        return null;
      } finally {
        setStarting(false);
        startingRef.current = null;
      }
    })();
    return startingRef.current;
  }, [api, root, path, kernelName, adopt]);

  const run = useCallback(
    async (cells: { key: string; code: string }[]): Promise<void> => {
      if (cells.length === 0) return;
      const s = await ensure();
      if (!s) return;
      dispatch({ type: 'queued', keys: cells.map((c) => c.key) });
      for (const [i, c] of cells.entries()) {
        try {
          await api.call('notebooks.execute', { sessionId: s.sessionId, cellId: c.key, code: c.code });
        } catch (err) {
          setError({ code: err instanceof KfdApiError ? err.code : 'internal', message: errorText(err) });
          for (const rest of cells.slice(i)) dispatch({ type: 'done', key: rest.key, status: 'aborted', executionCount: null });
          if (err instanceof KfdApiError && err.code === 'not_found') adopt(null);
          return;
        }
      }
    },
    [api, dispatch, ensure, adopt],
  );

  const call = useCallback(
    async (method: 'notebooks.interrupt' | 'notebooks.restart' | 'notebooks.shutdown') => {
      const s = sessionRef.current;
      if (!s) return;
      try {
        await api.call(method, { sessionId: s.sessionId });
        if (method === 'notebooks.restart') dispatch({ type: 'stopAll' });
        if (method === 'notebooks.shutdown') {
          dispatch({ type: 'stopAll' });
          adopt(null);
        }
      } catch (err) {
        setError({ code: err instanceof KfdApiError ? err.code : 'internal', message: errorText(err) });
      }
    },
    [api, dispatch, adopt],
  );

  /** Another kernel spec: the old kernel goes, a new one starts with the chosen spec. */
  const switchKernel = useCallback(
    async (name: string) => {
      await call('notebooks.shutdown');
      await ensure(name);
    },
    [call, ensure],
  );

  return {
    session,
    status,
    starting,
    error,
    clearError: () => setError(null),
    start: () => ensure(),
    run,
    interrupt: () => call('notebooks.interrupt'),
    restart: () => call('notebooks.restart'),
    shutdown: () => call('notebooks.shutdown'),
    switchKernel,
  };
}

export type KernelControl = ReturnType<typeof useKernel>;

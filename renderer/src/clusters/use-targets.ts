/**
 * The cluster targets as the pages use them: listed once, every target probed in parallel (rows
 * fill in as `targets.probed` events or probe answers arrive), namespace and image registry
 * saved through the engine. Shared by Settings → Clusters & contexts and the Promote dialog.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { KubeTarget } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText, fieldErrors } from '../api/client';
import { initialTargetsState, targetsReducer, type TargetsState } from './targets-state';

export interface TargetsApi {
  state: TargetsState;
  /** Reads the list again and probes every target (or only `ids`). */
  refresh(ids?: string[]): Promise<void>;
  probe(id: string): Promise<void>;
  /** Rejects with the API's message for the field (shown beside it). */
  setNamespace(id: string, namespace: string): Promise<KubeTarget>;
  setImageRegistry(id: string, registry: string | null): Promise<KubeTarget>;
}

export function useTargets({ probe: probeOnLoad = true }: { probe?: boolean } = {}): TargetsApi {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [state, dispatch] = useReducer(targetsReducer, initialTargetsState);
  const alive = useRef(true);
  const send: typeof dispatch = (a) => {
    if (alive.current) dispatch(a);
  };

  useEffect(() => {
    alive.current = true;
    const off = api.on('targets.probed', (probe) => dispatch({ type: 'probed', probe }));
    return () => {
      alive.current = false;
      off();
    };
  }, [api]);

  const probe = useCallback(
    async (id: string) => {
      send({ type: 'probeStarted', ids: [id] });
      try {
        send({ type: 'probed', probe: await api.call('targets.probe', { target: id }) });
      } catch (err) {
        send({ type: 'probeFailed', id, message: errorText(err) });
      }
    },
    [api],
  );

  const refresh = useCallback(
    async (ids?: string[]) => {
      try {
        const listed = await api.call('targets.list', {});
        send({ type: 'listed', ...listed });
        if (!probeOnLoad && !ids) return;
        const wanted = listed.targets.map((t) => t.id).filter((id) => !ids || ids.includes(id));
        send({ type: 'probeStarted', ids: wanted });
        await Promise.all(wanted.map((id) => probe(id)));
      } catch (err) {
        send({ type: 'listFailed', message: errorText(err) });
      }
    },
    [api, probe, probeOnLoad],
  );

  useEffect(() => {
    void refresh();
  }, [refresh, generation]);

  const saveWith = useCallback(
    async (field: string, call: () => Promise<KubeTarget>) => {
      try {
        const target = await call();
        send({ type: 'updated', target });
        return target;
      } catch (err) {
        throw new Error(fieldErrors(err)[field] ?? errorText(err));
      }
    },
    [],
  );

  return {
    state,
    refresh,
    probe,
    setNamespace: (id, namespace) =>
      saveWith('namespace', async () => {
        const t = await api.call('targets.setNamespace', { target: id, namespace });
        void probe(id); // runtimes and "namespace exists" depend on it
        return t;
      }),
    setImageRegistry: (id, registry) => saveWith('registry', () => api.call('targets.setImageRegistry', { target: id, registry })),
  };
}

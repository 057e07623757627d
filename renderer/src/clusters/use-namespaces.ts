/**
 * A target's namespaces for a namespace picker, read when the picker is first used (one call
 * per target while the component lives). When they cannot be listed (often: forbidden) the
 * engine's sentence is the picker's hint and the user types one.
 */
import { useCallback, useRef, useState } from 'react';
import type { MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';

export type NamespaceList = MethodOutput<'targets.namespaces'>;
export { namespaceChoices } from './targets-state';

export interface Namespaces {
  /** The last answer for `targetId` (null until asked, or while asking). */
  list: NamespaceList | null;
  loading: boolean;
  /** Asks once per target; later calls reuse the answer. */
  load(): void;
}

export function useNamespaces(targetId: string | null): Namespaces {
  const api = useApi();
  const [answers, setAnswers] = useState<Record<string, NamespaceList>>({});
  const [loading, setLoading] = useState<string | null>(null);
  const asked = useRef(new Set<string>());
  const load = useCallback(() => {
    if (!targetId || asked.current.has(targetId)) return;
    asked.current.add(targetId);
    setLoading(targetId);
    api.call('targets.namespaces', { target: targetId }).then(
      (list) => setAnswers((a) => ({ ...a, [targetId]: list })),
      (err: unknown) => setAnswers((a) => ({ ...a, [targetId]: { targetId, namespaces: [], listed: false, problem: errorText(err) } })),
    ).finally(() => setLoading((l) => (l === targetId ? null : l)));
  }, [api, targetId]);
  return { list: targetId ? (answers[targetId] ?? null) : null, loading: loading !== null && loading === targetId, load };
}

/**
 * What the promote dialog's chosen target runs in the chosen namespace: the target's own probe
 * for its remembered namespace, else a probe of the typed namespace (once it has settled), so the
 * runtime list shows that namespace's TrainingRuntimes. Answers are kept per namespace while the
 * dialog is open; one for a namespace no longer chosen is never shown.
 */
import { useEffect, useState } from 'react';
import type { KubeTarget, TargetProbe } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { useDebounced } from '../jobs/use-now';

export function useNamespaceProbe(target: KubeTarget | null, namespace: string, valid: boolean, delayMs = 400): { probe: TargetProbe | null; probing: boolean } {
  const api = useApi();
  const settled = useDebounced(namespace, delayMs);
  const [probes, setProbes] = useState<Record<string, TargetProbe | 'failed'>>({});
  const own = target !== null && namespace === target.namespace;
  const key = target ? `${target.id}\u0000${namespace}` : '';

  useEffect(() => {
    if (!target || own || !valid || settled !== namespace || probes[key]) return;
    let current = true;
    api.call('targets.probe', { target: target.id, namespace }).then(
      (p) => current && setProbes((all) => ({ ...all, [key]: p })),
      () => current && setProbes((all) => ({ ...all, [key]: 'failed' })),
    );
    return () => {
      current = false;
    };
  }, [api, target?.id, own, valid, settled, namespace, key]);

  if (!target) return { probe: null, probing: false };
  if (own) return { probe: target.probe, probing: false };
  const have = probes[key];
  return { probe: have && have !== 'failed' ? have : null, probing: valid && have === undefined };
}

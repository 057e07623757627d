/**
 * The Run toolbar's choices: every backend, available or not. An unavailable one carries the
 * same sentence `jobs.run` answers with (`unavailable`), so the picker can say why it is off.
 * Kubernetes has one entry per target (kubeconfig context or local cluster); its id is the
 * target id that `jobs.run` takes as `target`.
 */
import type { BackendId } from '../api/schemas/jobs.js';
import type { RunTarget } from '../api/schemas/workspace.js';

const TARGETS: readonly { id: string; backend: BackendId; label: string }[] = [
  { id: 'local-process', backend: 'local-process', label: 'Local processes' },
  { id: 'container', backend: 'container', label: 'Containers (Docker / Podman)' },
  { id: 'local-cluster', backend: 'kubernetes', label: 'Local cluster (kind)' },
];

/** Mirrors JobService's refusal for a backend it was not given. */
export function unavailableReason(backend: BackendId): string {
  return `The ${backend} backend is not available in this version; run with --backend local-process.`;
}

/** What jobs.run answers when the kubernetes backend has no target at all. */
export const NO_KUBE_TARGET =
  'No Kubernetes target: there is no kubeconfig context (KUBECONFIG or ~/.kube/config) and no local cluster. Create the local cluster on the Cluster page, or add a context to your kubeconfig.';

/**
 * `down`: backends that are built in but cannot run now, with the sentence a start would fail
 * with (no Docker or Podman engine answers).
 */
export function runTargets(
  available: ReadonlySet<BackendId>,
  kube: readonly { id: string; label: string; kind: 'kubeconfig' | 'local-cluster' }[] = [],
  down: Partial<Record<BackendId, string>> = {},
): RunTarget[] {
  const out: RunTarget[] = [];
  for (const t of TARGETS) {
    const ok = available.has(t.backend);
    if (t.backend !== 'kubernetes' || !ok) {
      const reason = ok ? (down[t.backend] ?? null) : unavailableReason(t.backend);
      out.push({ ...t, available: reason === null, reason });
      continue;
    }
    for (const k of kube) out.push({ id: k.id, backend: 'kubernetes', label: k.kind === 'local-cluster' ? `Local cluster (${k.label})` : `Cluster ${k.label}`, available: true, reason: null });
    if (!kube.some((k) => k.kind === 'local-cluster')) out.push({ ...t, available: false, reason: kube.length ? 'No local cluster yet: create it on the Cluster page.' : NO_KUBE_TARGET });
  }
  return out;
}

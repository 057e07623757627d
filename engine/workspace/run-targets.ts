/**
 * The Run toolbar's choices: every backend, available or not. An unavailable one carries the
 * same sentence `jobs.run` answers with (`unavailable`), so the picker can say why it is off.
 * Remote Kubernetes contexts join this list (one target each) when that backend lands.
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

export function runTargets(available: ReadonlySet<BackendId>): RunTarget[] {
  return TARGETS.map((t) => {
    const ok = available.has(t.backend);
    return { ...t, available: ok, reason: ok ? null : unavailableReason(t.backend) };
  });
}

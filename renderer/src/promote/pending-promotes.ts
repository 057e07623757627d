/**
 * Promote submits that outlive the dialog: closing the dialog while `promote.run` is under way
 * does not stop it, and the source job's page shows it until the new job exists (then the
 * lineage lists it) or it failed (then it says why, until dismissed). A module-level store, so
 * it survives the dialog and the page being left and opened again.
 */
import { useSyncExternalStore } from 'react';
import { errorText } from '../api/envelope';

export interface PendingPromote {
  /** The id the new job gets (the preview's). */
  jobId: string;
  sourceJobId: string;
  /** "context/namespace" */
  where: string;
  error: string | null;
}

let pending: readonly PendingPromote[] = [];
const listeners = new Set<() => void>();

function set(next: readonly PendingPromote[]): void {
  pending = next;
  for (const l of listeners) l();
}

/** Runs `submit` as a pending promote; resolves/rejects like it. A failure stays listed until dismissed. */
export async function trackPromote<T>(p: Omit<PendingPromote, 'error'>, submit: () => Promise<T>): Promise<T> {
  set([...pending.filter((x) => x.jobId !== p.jobId), { ...p, error: null }]);
  try {
    const out = await submit();
    set(pending.filter((x) => x.jobId !== p.jobId));
    return out;
  } catch (err) {
    set(pending.map((x) => (x.jobId === p.jobId ? { ...x, error: errorText(err) } : x)));
    throw err;
  }
}

export function dismissPromote(jobId: string): void {
  set(pending.filter((x) => x.jobId !== jobId));
}

/** Every promote under way or failed (what the hook reads). */
export function currentPromotes(): readonly PendingPromote[] {
  return pending;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The promotes of `sourceJobId` under way or failed. */
export function usePendingPromotes(sourceJobId: string): PendingPromote[] {
  const all = useSyncExternalStore(subscribe, currentPromotes);
  return all.filter((p) => p.sourceJobId === sourceJobId);
}

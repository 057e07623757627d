import { useMemo, useSyncExternalStore } from 'react';
import { parseLocation, routeHref, type HashLocation, type RouteId } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const hashSnapshot = (): string => window.location.hash;

/** The page named by `location.hash`; back/forward work because every page change is a history entry. */
export function useHashRoute(): RouteId {
  return useHashLocation().route;
}

/** The page and its sub-path (`#/jobs/<id>` → `{ route: 'jobs', path: [id] }`). */
export function useHashLocation(): HashLocation {
  // The snapshot is the hash string (stable between changes); parsing is memoised on it.
  const hash = useSyncExternalStore(subscribe, hashSnapshot, hashSnapshot);
  return useMemo(() => parseLocation(hash), [hash]);
}

export function navigate(id: RouteId, ...path: string[]): void {
  window.location.hash = routeHref(id, ...path);
}

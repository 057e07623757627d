import { useSyncExternalStore } from 'react';
import { parseRoute, routeHref, type RouteId } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const snapshot = (): RouteId => parseRoute(window.location.hash);

/** The page named by `location.hash`; back/forward work because every page change is a history entry. */
export function useHashRoute(): RouteId {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function navigate(id: RouteId): void {
  window.location.hash = routeHref(id);
}

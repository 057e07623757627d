/** Hash routes (`#/jobs`, `#/doctor`, …). Pure: no DOM access, tested in node. */

export const ROUTES = [
  { id: 'jobs', title: 'Jobs' },
  { id: 'workspace', title: 'Workspace' },
  { id: 'notebooks', title: 'Notebooks' },
  { id: 'experiments', title: 'Experiments' },
  { id: 'pipelines', title: 'Pipelines' },
  { id: 'models', title: 'Models' },
  { id: 'cluster', title: 'Cluster' },
  { id: 'doctor', title: 'Doctor' },
  { id: 'settings', title: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];
export type Route = (typeof ROUTES)[number];

export const DEFAULT_ROUTE: RouteId = 'jobs';

export function isRouteId(value: string): value is RouteId {
  return ROUTES.some((r) => r.id === value);
}

/** A page plus what follows it: `#/jobs/abc123` → `{ route: 'jobs', path: ['abc123'] }`. */
export interface HashLocation {
  route: RouteId;
  /** Decoded segments after the page name (case kept); empty for the page itself. */
  path: string[];
}

/**
 * `#/doctor`, `#doctor`, `#/doctor/`, `#/Doctor?x=1` → doctor with no sub-path;
 * `#/jobs/<id>` → jobs with `[id]`. Anything unknown or malformed → Jobs with no sub-path.
 */
export function parseLocation(hash: string): HashLocation {
  const raw = hash.replace(/^#/, '').replace(/^\/+/, '').split('?')[0] ?? '';
  const [head = '', ...rest] = raw.split('/');
  try {
    const id = decodeURIComponent(head).toLowerCase();
    if (!isRouteId(id)) return { route: DEFAULT_ROUTE, path: [] };
    return { route: id, path: rest.filter((seg) => seg !== '').map((seg) => decodeURIComponent(seg)) };
  } catch {
    return { route: DEFAULT_ROUTE, path: [] }; // malformed %-escape
  }
}

/** `#/doctor`, `#doctor`, `#/doctor/`, `#/Doctor?x=1` → `doctor`; anything else → Jobs. */
export function parseRoute(hash: string): RouteId {
  return parseLocation(hash).route;
}

/** `#/jobs`, or with a sub-path `#/jobs/<id>` (each segment %-encoded). */
export function routeHref(id: RouteId, ...path: string[]): string {
  return [`#/${id}`, ...path.map((seg) => encodeURIComponent(seg))].join('/');
}

/** The detail page of one job. */
export function jobHref(jobId: string): string {
  return routeHref('jobs', jobId);
}

/** The page of what made a job: `#/experiments/<id>`, `#/pipelines/runs/<id>`, `#/models/servers/<id>`. */
export function ownerHref(owner: { kind: 'experiment' | 'pipeline-run' | 'model-server'; id: string }): string {
  switch (owner.kind) {
    case 'experiment':
      return routeHref('experiments', owner.id);
    case 'pipeline-run':
      return routeHref('pipelines', 'runs', owner.id);
    case 'model-server':
      return routeHref('models', 'servers', owner.id);
  }
}

export function routeTitle(id: RouteId): string {
  return ROUTES.find((r) => r.id === id)?.title ?? id;
}

/** Ctrl+1 … Ctrl+9 (Cmd on mac): the digit's route, or null. */
export function routeForShortcut(key: string): RouteId | null {
  if (!/^[1-9]$/.test(key)) return null;
  return ROUTES[Number(key) - 1]?.id ?? null;
}

/** Up/Down/Home/End in the sidebar: the index to focus next (wraps around). */
export function nextNavIndex(current: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (current + 1 + count) % count;
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

export interface ShortcutKeys {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Ctrl+1…9 everywhere, and Cmd+1…9 on a Mac: the page to open, or null. */
export function shortcutRoute(e: ShortcutKeys, mac: boolean): RouteId | null {
  if (e.altKey || e.shiftKey) return null;
  const modifier = e.ctrlKey || (mac && e.metaKey);
  return modifier ? routeForShortcut(e.key) : null;
}

export function shortcutLabel(id: RouteId, mac: boolean): string {
  const n = ROUTES.findIndex((r) => r.id === id) + 1;
  return `${mac ? '⌘' : 'Ctrl+'}${n}`;
}

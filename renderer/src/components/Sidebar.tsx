import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { nextNavIndex, ROUTES, routeHref, shortcutLabel, type RouteId } from '../routes';
import { ClusterIcon, DoctorIcon, ExperimentsIcon, JobsIcon, ModelsIcon, NotebooksIcon, PipelinesIcon, SettingsIcon, WorkspaceIcon } from './Icons';

const ICONS: Record<RouteId, ReactNode> = {
  jobs: <JobsIcon />,
  workspace: <WorkspaceIcon />,
  notebooks: <NotebooksIcon />,
  experiments: <ExperimentsIcon />,
  pipelines: <PipelinesIcon />,
  models: <ModelsIcon />,
  cluster: <ClusterIcon />,
  doctor: <DoctorIcon />,
  settings: <SettingsIcon />,
};

/** The main navigation: real links (so back/forward and middle-click work), arrows move focus. */
export function Sidebar({ current, mac }: { current: RouteId; mac: boolean }) {
  const listRef = useRef<HTMLUListElement>(null);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>): void {
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = nextNavIndex(index, e.key, links.length);
    if (next === null) return;
    e.preventDefault();
    links[next]?.focus();
  }

  return (
    <nav className="sidebar" aria-label="Main">
      <ul ref={listRef} onKeyDown={onKeyDown}>
        {ROUTES.map((route) => {
          const active = route.id === current;
          const shortcut = shortcutLabel(route.id, mac);
          return (
            <li key={route.id}>
              <a
                href={routeHref(route.id)}
                className={active ? 'nav-link active' : 'nav-link'}
                aria-current={active ? 'page' : undefined}
                aria-keyshortcuts={shortcut.replace('⌘', 'Meta+').replace('Ctrl', 'Control')}
                title={`${route.title} (${shortcut})`}
              >
                {ICONS[route.id]}
                <span className="nav-label">{route.title}</span>
                <kbd className="nav-shortcut" aria-hidden="true">
                  {shortcut}
                </kbd>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

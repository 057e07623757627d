import { useEffect, useRef, type ComponentType } from 'react';
import { useApi, useEngineStatus, useObservable } from './api/ApiProvider';
import { EngineBanner } from './components/EngineBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { LogoIcon } from './components/Icons';
import { NotSignedIn } from './components/NotSignedIn';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { ClusterPage } from './pages/ClusterPage';
import { DoctorPage } from './pages/DoctorPage';
import { ExperimentsPage } from './pages/ExperimentsPage';
import { JobsPage } from './pages/JobsPage';
import { ModelsPage } from './pages/ModelsPage';
import { NotebooksPage } from './pages/NotebooksPage';
import { PipelinesPage } from './pages/PipelinesPage';
import { SettingsPage } from './pages/SettingsPage';
import { WorkspacePage } from './pages/WorkspacePage';
import { routeTitle, shortcutRoute, type RouteId } from './routes';
import { navigate, useHashLocation } from './use-hash-route';

const PAGES: Record<RouteId, ComponentType> = {
  jobs: JobsPage,
  workspace: WorkspacePage,
  notebooks: NotebooksPage,
  experiments: ExperimentsPage,
  pipelines: PipelinesPage,
  models: ModelsPage,
  cluster: ClusterPage,
  doctor: DoctorPage,
  settings: SettingsPage,
};

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function App() {
  const api = useApi();
  const signedOut = useObservable(api.signedOut);
  const { route, path } = useHashLocation();
  const { generation } = useEngineStatus();
  const mainRef = useRef<HTMLElement>(null);
  const title = routeTitle(route);
  const Page = PAGES[route];

  useEffect(() => {
    document.title = `${title} — Kubeflow Desktop`;
  }, [title]);

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent): void {
      const target = shortcutRoute(e, IS_MAC);
      if (!target) return;
      e.preventDefault();
      navigate(target);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  if (signedOut) return <NotSignedIn />;

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main-content"
        onClick={(e) => {
          e.preventDefault(); // the hash is our router: focus instead of navigating
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <LogoIcon className="accent" />
        <span className="app-name">Kubeflow Desktop</span>
        <span className="topbar-sep" aria-hidden="true">
          /
        </span>
        <h1 className="page-title">{title}</h1>
      </header>
      <Sidebar current={route} mac={IS_MAC} />
      <main id="main-content" className="content" ref={mainRef} tabIndex={-1} data-page={route}>
        <EngineBanner />
        <ErrorBoundary key={`${route}/${path.join('/')}:${generation}`} name={title}>
          <Page />
        </ErrorBoundary>
      </main>
      <StatusBar />
    </div>
  );
}

/**
 * The Workspace page. Its screens (file tree, tabs, run toolbar, the YAML library behind the
 * quick controls) load on first visit, and the Monaco editor only when a file opens, so
 * neither weighs on the app's start.
 */
import { lazy, Suspense } from 'react';
import { Spinner } from '../components/Icons';

const WorkspaceScreen = lazy(() => import('../workspace/WorkspaceScreen'));

export function WorkspacePage() {
  return (
    <Suspense
      fallback={
        <p className="summary muted" data-testid="page-workspace-loading">
          <Spinner /> Loading…
        </p>
      }
    >
      <WorkspaceScreen />
    </Suspense>
  );
}

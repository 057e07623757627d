/**
 * `#/workspace` is the start screen (open a folder, recent, new from a template);
 * `#/workspace/<root>` one open workspace. Coming back to `#/workspace` from another page
 * returns to the workspace left open in this window, with its unsaved edits.
 */
import { useEffect } from 'react';
import { routeHref } from '../routes';
import { navigate, useHashLocation } from '../use-hash-route';
import { WorkspaceStart } from './WorkspaceStart';
import { WorkspaceView } from './WorkspaceView';
import { dropSession } from './workspace-session';
import './workspace-start.css';
import './workspace.css';
import './workspace-editor.css';
import './workspace-run.css';

const remembered: { root: string | null } = { root: null };

export default function WorkspaceScreen() {
  const { path } = useHashLocation();
  const root = path[0] ?? null;

  useEffect(() => {
    if (root) remembered.root = root;
    // Replace, not push: Back from the workspace should not land on the bare page again.
    else if (remembered.root) window.location.replace(routeHref('workspace', remembered.root));
  }, [root]);

  if (!root) return remembered.root ? null : <WorkspaceStart onOpen={(r) => navigate('workspace', r)} />;
  return (
    <WorkspaceView
      key={root}
      root={root}
      onClose={() => {
        remembered.root = null;
        dropSession(root);
        navigate('workspace');
      }}
    />
  );
}

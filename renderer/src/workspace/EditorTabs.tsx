/** The open files as tabs: dirty marker, close (asks first when there are unsaved edits). */
import { useState } from 'react';
import { baseName } from './file-tree';
import type { SessionState } from './session-state';
import { isDirty } from './tabs';
import { CloseIcon } from './workspace-icons';
import type { WorkspaceSession } from './workspace-session';

export function EditorTabs({ session, state }: { session: WorkspaceSession; state: SessionState }) {
  const [asking, setAsking] = useState<string | null>(null);

  function close(path: string): void {
    const tab = state.tabs.tabs.find((t) => t.path === path);
    if (tab && isDirty(tab)) setAsking(path);
    else session.closeTab(path);
  }

  return (
    <>
      <div className="ws-tabs" role="tablist" aria-label="Open files">
        {state.tabs.tabs.map((tab) => {
          const active = tab.path === state.tabs.active;
          const dirty = isDirty(tab);
          return (
            <div key={tab.path} className={`ws-tab${active ? ' active' : ''}`} data-testid="editor-tab" data-path={tab.path} data-dirty={dirty} title={tab.path}>
              <button
                type="button"
                role="tab"
                aria-selected={active}
                className="ws-tab-label"
                onClick={() => session.activate(tab.path)}
                onAuxClick={(e) => e.button === 1 && close(tab.path)}
              >
                {baseName(tab.path)}
                {tab.disk === 'deleted' ? <span className="muted"> (deleted)</span> : null}
              </button>
              <button type="button" className={`ws-tab-close${dirty ? ' dirty' : ''}`} aria-label={dirty ? `Close ${tab.path} (unsaved changes)` : `Close ${tab.path}`} onClick={() => close(tab.path)}>
                <span className="ws-tab-dot" aria-hidden="true" />
                <CloseIcon size={12} className="ws-tab-x" />
              </button>
            </div>
          );
        })}
      </div>
      {asking ? (
        <div className="ws-confirm ws-confirm-wide" role="alertdialog" aria-label="Unsaved changes">
          <span>
            <code>{asking}</code> has unsaved changes.
          </span>
          <button
            type="button"
            className="btn btn-small btn-primary"
            autoFocus
            onClick={async () => {
              setAsking(null);
              if (await session.save(asking)) session.closeTab(asking);
            }}
          >
            Save and close
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setAsking(null);
              session.closeTab(asking);
            }}
          >
            Discard changes
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      ) : null}
    </>
  );
}

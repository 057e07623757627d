/** An open workspace: file tree | tabs + editor | the last run's logs and metrics; run toolbar above. */
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { InlineError } from '../components/MessageText';
import { Spinner } from '../components/Icons';
import { ConflictDialog } from './ConflictDialog';
import { EditorPane } from './EditorPane';
import { EditorTabs } from './EditorTabs';
import { FileTree } from './FileTree';
import { PaneSplitter } from './PaneSplitter';
import { RunPanel } from './RunPanel';
import { clampRunWidth, FOLDED_TREE_WIDTH, loadRunWidth, saveRunWidth, TREE_WIDTH } from './run-width';
import { RunToolbar } from './RunToolbar';
import { JOB_FILE, useStore } from './session-state';
import { dirtyTabs } from './tabs';
import { CloseIcon, SaveIcon } from './workspace-icons';
import { sessionFor } from './workspace-session';

export function WorkspaceView({ root, onClose }: { root: string; onClose(): void }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const session = sessionFor(api, root);
  const state = useStore(session.store);
  const dirty = dirtyTabs(state.tabs);
  const [closing, setClosing] = useState(false);
  const layout = usePaneLayout();

  // Open with the engine on mount and again after an engine restart (its watcher is gone then).
  useEffect(() => {
    void session.connect();
  }, [session, generation]);

  // Ctrl/Cmd+S anywhere on the page saves the active file (Shift: all), not the web page.
  // Inside the editor, Monaco's own binding does it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 's') return;
      e.preventDefault();
      if ((e.target as Element | null)?.closest?.('.monaco-editor')) return;
      const active = session.state.tabs.active;
      if (e.shiftKey) void session.saveAll();
      else if (active) void session.save(active);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  // Leaving the page (reload, closing the tab) with unsaved edits asks first.
  useEffect(() => {
    if (dirty.length === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty.length > 0]);

  if (state.openError && !state.info) {
    return (
      <div className="page" data-testid="page-workspace">
        <InlineError prefix={`Could not open ${root}`} message={state.openError} />
        <button type="button" className="btn" onClick={onClose}>
          Choose another folder
        </button>
      </div>
    );
  }
  if (!state.info) {
    return (
      <p className="summary muted" data-testid="page-workspace">
        <Spinner /> Opening {root}…
      </p>
    );
  }

  const job = state.run.panelOpen ? state.run.job : null;
  const treeWidth = layout.treeHidden ? FOLDED_TREE_WIDTH : TREE_WIDTH;
  const runWidth = clampRunWidth(layout.wanted, layout.bodyWidth, treeWidth);
  const bodyStyle = { '--run-width': `${runWidth}px` } as CSSProperties;
  return (
    <div className={`ws-layout${job ? ' with-run' : ''}${layout.treeHidden ? ' tree-hidden' : ''}`} data-testid="page-workspace" data-root={root}>
      <header className="ws-header">
        <h2 className="ws-name">{state.info.name}</h2>
        <span className="ws-root mono muted" title={root}>
          {root}
        </span>
        {dirty.length > 0 ? (
          <button type="button" className="btn btn-small" onClick={() => void session.saveAll()} title="Save every edited file">
            <SaveIcon size={13} /> Save all ({dirty.length})
          </button>
        ) : null}
        <button type="button" className="btn btn-small" onClick={() => (dirty.length > 0 ? setClosing(true) : onClose())} title="Close this workspace">
          <CloseIcon size={12} /> Close
        </button>
      </header>
      {closing ? (
        <div className="ws-confirm ws-confirm-wide" role="alertdialog" aria-label="Unsaved changes">
          <span>
            {dirty.length === 1 ? `${dirty[0]!.path} has` : `${dirty.length} files have`} unsaved changes.
          </span>
          <button type="button" className="btn btn-small btn-primary" autoFocus onClick={async () => (await session.saveAll()) && onClose()}>
            Save all and close
          </button>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Discard and close
          </button>
          <button type="button" className="btn btn-small" onClick={() => setClosing(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      <RunToolbar session={session} state={state} />
      {!(state.entries.length > 0 ? state.entries.some((e) => e.path === JOB_FILE) : state.info.hasJobFile) ? (
        <p className="ws-banner ws-banner-info">
          This folder has no <code>trainjob.yaml</code>; create one (New file) or start from a template to run it.
        </p>
      ) : null}
      <div className="ws-body" ref={layout.bodyRef} style={bodyStyle}>
        <FileTree session={session} state={state} hidden={layout.treeHidden} onHidden={layout.setTreeHidden} />
        <section className="ws-main" aria-label="Editor">
          <EditorTabs session={session} state={state} />
          <EditorPane session={session} state={state} />
        </section>
        {job ? (
          <>
            <PaneSplitter width={runWidth} onChange={(w) => layout.setWanted(w === null ? null : clampRunWidth(w, layout.bodyWidth, treeWidth))} onDone={layout.persist} />
            <RunPanel job={job} onClose={() => session.run.setPanelOpen(false)} />
          </>
        ) : null}
      </div>
      {state.conflict ? <ConflictDialog session={session} conflict={state.conflict} /> : null}
    </div>
  );
}

const TREE_KEY = 'kfd.workspace.treeHidden';

/** The body's width (for the run panel's bounds), the run panel's wanted width and whether the file tree is folded away; kept per browser. */
function usePaneLayout() {
  const [body, bodyRef] = useState<HTMLDivElement | null>(null);
  const [bodyWidth, setBodyWidth] = useState(1000);
  const [wanted, setWanted] = useState<number | null>(loadRunWidth);
  const [treeHidden, setTreeHiddenState] = useState(() => globalThis.localStorage?.getItem(TREE_KEY) === '1');
  useLayoutEffect(() => {
    if (!body) return;
    const observer = new ResizeObserver(() => setBodyWidth(body.clientWidth));
    observer.observe(body);
    setBodyWidth(body.clientWidth);
    return () => observer.disconnect();
  }, [body]);
  const latest = useRef(wanted);
  latest.current = wanted;
  return {
    bodyRef,
    bodyWidth,
    wanted,
    setWanted,
    persist: () => saveRunWidth(latest.current),
    treeHidden,
    setTreeHidden(hidden: boolean) {
      setTreeHiddenState(hidden);
      globalThis.localStorage?.setItem(TREE_KEY, hidden ? '1' : '0');
    },
  };
}

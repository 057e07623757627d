/**
 * The workspace's files: a keyboard-navigable tree (arrows, Enter, F2 rename, Delete), with
 * new file / new folder / rename as an inline name field and delete behind a confirmation.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { RefreshIcon } from '../components/Icons';
import { baseName, buildTree, checkName, parentOf, visibleRows } from './file-tree';
import type { SessionState } from './session-state';
import { isDirty } from './tabs';
import { ChevronRightIcon, FileIcon, FolderIcon, LinkIcon, NewFileIcon, NewFolderIcon, PencilIcon, TrashIcon } from './workspace-icons';
import type { WorkspaceSession } from './workspace-session';

type Pending = { mode: 'file' | 'folder'; dir: string } | { mode: 'rename'; path: string };

export function FileTree({ session, state, hidden, onHidden }: { session: WorkspaceSession; state: SessionState; hidden: boolean; onHidden(hidden: boolean): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const tree = useMemo(() => buildTree(state.entries), [state.entries]);
  const rows = useMemo(() => visibleRows(tree, state.expanded), [tree, state.expanded]);
  const kinds = useMemo(() => new Map(state.entries.map((e) => [e.path, e.kind])), [state.entries]);
  const dirty = useMemo(() => new Set(state.tabs.tabs.filter(isDirty).map((t) => t.path)), [state.tabs]);

  /** New entries go into the selected folder, or beside the selected file. */
  const targetDir = selected === null ? '' : kinds.get(selected) === 'dir' ? selected : parentOf(selected);
  const siblingsOf = (dir: string) => state.entries.filter((e) => parentOf(e.path) === dir).map((e) => baseName(e.path));

  function activate(path: string): void {
    setSelected(path);
    if (kinds.get(path) === 'dir') session.toggleDir(path);
    else void session.openFile(path);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (pending || (e.target as HTMLElement).tagName === 'INPUT') return;
    const i = rows.findIndex((r) => r.node.entry.path === selected);
    const row = rows[i];
    const move = (to: number) => {
      const next = rows[Math.max(0, Math.min(rows.length - 1, to))];
      if (next) setSelected(next.node.entry.path);
    };
    if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i < 0 ? 0 : i - 1);
    else if (e.key === 'Enter' && row) activate(row.node.entry.path);
    else if (e.key === 'ArrowRight' && row?.node.entry.kind === 'dir') session.toggleDir(row.node.entry.path, true);
    else if (e.key === 'ArrowLeft' && row) {
      if (row.expanded) session.toggleDir(row.node.entry.path, false);
      else if (parentOf(row.node.entry.path)) setSelected(parentOf(row.node.entry.path));
    } else if (e.key === 'F2' && row) setPending({ mode: 'rename', path: row.node.entry.path });
    else if (e.key === 'Delete' && row) setConfirmDelete(row.node.entry.path);
    else return;
    e.preventDefault();
  }

  if (hidden) {
    return (
      <aside className="ws-tree ws-tree-folded" aria-label="Files">
        <button type="button" className="btn btn-small btn-icon" aria-label="Show files" title="Show files" onClick={() => onHidden(false)}>
          <FolderIcon size={14} />
        </button>
      </aside>
    );
  }

  return (
    <aside className="ws-tree" aria-label="Files">
      <div className="ws-pane-header">
        <span className="ws-pane-title">Files</span>
        <button type="button" className="btn btn-small btn-icon" aria-label="New file" title={`New file in ${targetDir || 'the workspace'}`} onClick={() => setPending({ mode: 'file', dir: targetDir })}>
          <NewFileIcon size={14} />
        </button>
        <button type="button" className="btn btn-small btn-icon" aria-label="New folder" title={`New folder in ${targetDir || 'the workspace'}`} onClick={() => setPending({ mode: 'folder', dir: targetDir })}>
          <NewFolderIcon size={14} />
        </button>
        <button type="button" className="btn btn-small btn-icon" aria-label="Refresh files" title="Refresh" onClick={() => void session.refreshTree()}>
          <RefreshIcon size={14} />
        </button>
        <button type="button" className="btn btn-small btn-icon" aria-label="Hide files" title="Hide files (more room for the editor and the run)" onClick={() => onHidden(true)}>
          <ChevronRightIcon size={14} className="flip" />
        </button>
      </div>
      {state.notice ? (
        <p className="ws-notice field-error" role="alert">
          {state.notice}
        </p>
      ) : null}
      {state.treeError ? <p className="ws-notice field-error">Could not list the files: {state.treeError}</p> : null}
      {confirmDelete ? (
        <div className="ws-confirm" role="alertdialog" aria-label="Confirm delete">
          <span>
            Delete <code>{confirmDelete}</code>
            {kinds.get(confirmDelete) === 'dir' ? ' and everything in it' : ''}?
          </span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            autoFocus
            onClick={() => {
              void session.remove(confirmDelete);
              setConfirmDelete(null);
            }}
          >
            Delete
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      {pending && pending.mode !== 'rename' ? (
        <NameField
          label={pending.mode === 'file' ? `New file in ${pending.dir || 'the workspace'}` : `New folder in ${pending.dir || 'the workspace'}`}
          initial=""
          siblings={siblingsOf(pending.dir)}
          onDone={(name) => {
            setPending(null);
            if (name === null) return;
            if (pending.mode === 'file') void session.createFile(pending.dir, name);
            else void session.createFolder(pending.dir, name);
          }}
        />
      ) : null}
      <div className="ws-tree-rows" role="tree" aria-label="Workspace files" tabIndex={0} onKeyDown={onKeyDown} data-testid="file-tree">
        {rows.map(({ node, depth, expanded }) => {
          const { path, kind, skipped, symlink } = node.entry;
          if (pending?.mode === 'rename' && pending.path === path) {
            return (
              <NameField
                key={path}
                label={`Rename ${path}`}
                initial={node.name}
                depth={depth}
                siblings={siblingsOf(parentOf(path)).filter((n) => n !== node.name)}
                onDone={(name) => {
                  setPending(null);
                  if (name !== null) void session.rename(path, name);
                }}
              />
            );
          }
          const active = state.tabs.active === path;
          return (
            <div
              key={path}
              role="treeitem"
              aria-level={depth + 1}
              aria-selected={selected === path}
              aria-expanded={kind === 'dir' && !skipped ? expanded : undefined}
              className={`ws-row${selected === path ? ' selected' : ''}${active ? ' active' : ''}${skipped ? ' skipped' : ''}`}
              style={{ paddingLeft: 6 + depth * 14 }}
              title={skipped ? `${path}: not listed (dependencies, caches or a virtualenv)` : path}
              data-path={path}
              onClick={() => (skipped ? setSelected(path) : activate(path))}
            >
              <span className={`ws-twisty${expanded ? ' open' : ''}`}>{kind === 'dir' && !skipped ? <ChevronRightIcon size={12} /> : null}</span>
              {kind === 'dir' ? <FolderIcon size={14} className="ws-icon-dir" /> : <FileIcon size={14} className="ws-icon-file" />}
              <span className="ws-row-name">{node.name}</span>
              {symlink ? <LinkIcon size={12} className="muted" aria-label="symbolic link" /> : null}
              {dirty.has(path) ? <span className="ws-dirty-dot" aria-label="unsaved changes" /> : null}
              <span className="ws-row-actions">
                <button type="button" className="ws-row-btn" aria-label={`Rename ${path}`} title="Rename (F2)" onClick={(e) => (e.stopPropagation(), setPending({ mode: 'rename', path }))}>
                  <PencilIcon size={12} />
                </button>
                <button type="button" className="ws-row-btn" aria-label={`Delete ${path}`} title="Delete" onClick={(e) => (e.stopPropagation(), setConfirmDelete(path))}>
                  <TrashIcon size={12} />
                </button>
              </span>
            </div>
          );
        })}
        {rows.length === 0 && !state.treeError ? <p className="ws-empty muted">This folder is empty.</p> : null}
        {state.truncated ? <p className="ws-empty muted">Showing the first {state.entries.length} entries.</p> : null}
      </div>
    </aside>
  );
}

function NameField(props: { label: string; initial: string; siblings: string[]; depth?: number; onDone(name: string | null): void }) {
  const [name, setName] = useState(props.initial);
  const error = name === props.initial && props.initial ? null : checkName(name, props.siblings);
  return (
    <div className="ws-name-field" style={{ paddingLeft: 6 + (props.depth ?? 0) * 14 }}>
      <input
        className="input mono"
        aria-label={props.label}
        placeholder={props.label}
        value={name}
        autoFocus
        aria-invalid={error !== null && name !== ''}
        onFocus={(e) => e.target.setSelectionRange(0, name.lastIndexOf('.') > 0 ? name.lastIndexOf('.') : name.length)}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !error) props.onDone(name);
          else if (e.key === 'Escape') props.onDone(null);
        }}
        onBlur={() => props.onDone(null)}
      />
      {error && name ? <span className="ws-name-error field-error">{error}</span> : null}
    </div>
  );
}

/**
 * A folder browser for choosing a folder where no native dialog exists (web mode) or the desktop
 * one fails: home-rooted (the engine lists folders under home), hidden folders on request, every
 * action on the keyboard. Folders come from `workspace.folders`, like everything else through the API.
 *
 * Keys: ↑/↓ Home/End move, Enter or → opens, Backspace or ← goes up, letters find by name,
 * Ctrl+H shows hidden folders, Ctrl+Enter chooses, Escape cancels.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { useFocusTrap } from '../components/use-focus-trap';
import { CloseIcon, FolderIcon } from '../workspace/workspace-icons';
import { chosenPath, crumbs, homeRelative, typeAhead } from './folder-nav';
import './folders.css';

type Listing = MethodOutput<'workspace.folders'>;

export interface FolderBrowserProps {
  title: string;
  /** Where to start (a folder under home); home when absent or not browsable. */
  start?: string | undefined;
  /** The button's word, e.g. "Open" or "Choose". */
  action?: string;
  onPick(path: string): void;
  onCancel(): void;
}

export function FolderBrowser({ title, start, action = 'Choose', onPick, onCancel }: FolderBrowserProps) {
  const api = useApi();
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useFocusTrap(box);
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [showHidden, setShowHidden] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useRef({ text: '', at: 0 });
  const shown = useRef(false);

  /** Shows `path` (home when undefined); `highlight` is the folder to put the cursor on. */
  const load = useCallback(
    async (path: string | undefined, hidden: boolean, highlight?: string) => {
      setLoading(true);
      try {
        const next = await api.call('workspace.folders', { ...(path ? { path } : {}), showHidden: hidden });
        setListing(next);
        shown.current = true;
        setError(null);
        setActive(highlight ? next.folders.findIndex((f) => f.path === highlight) : -1);
      } catch (err) {
        // A start folder outside home (or gone) opens home instead, saying why.
        setError(errorText(err));
        if (path && !shown.current) {
          const home = await api.call('workspace.folders', { showHidden: hidden }).catch(() => null);
          if (home) {
            setListing(home);
            shown.current = true;
          }
        }
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(start, false);
  }, [load, start]);

  useEffect(() => {
    list.current?.focus();
  }, []);

  // The highlighted row stays in view.
  useEffect(() => {
    if (active >= 0) list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active, listing]);

  const folders = listing?.folders ?? [];
  const here = listing?.path ?? '';
  const picked = listing ? chosenPath(here, folders, active) : null;

  const open = (path: string) => void load(path, showHidden);
  const up = () => {
    if (listing?.parent) void load(listing.parent, showHidden, listing.path);
  };
  const toggleHidden = () => {
    const next = !showHidden;
    setShowHidden(next);
    void load(here || undefined, next, folders[active]?.path);
  };

  function onListKey(e: KeyboardEvent<HTMLUListElement>): void {
    const last = folders.length - 1;
    const move = (i: number) => (e.preventDefault(), setActive(Math.max(0, Math.min(last, i))));
    if (e.ctrlKey || e.metaKey) {
      if (e.key.toLowerCase() === 'h') {
        e.preventDefault();
        toggleHidden();
      } else if (e.key === 'Enter' && picked) {
        e.preventDefault();
        onPick(picked);
      }
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
        return move(active + 1);
      case 'ArrowUp':
        return move(active < 0 ? last : active - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case 'Enter':
      case 'ArrowRight':
        if (folders[active]) {
          e.preventDefault();
          open(folders[active]!.path);
        }
        return;
      case 'Backspace':
      case 'ArrowLeft':
        e.preventDefault();
        return up();
      default:
        if (e.key.length === 1 && !e.altKey && /\S/.test(e.key)) {
          const now = Date.now();
          typed.current = { text: now - typed.current.at < 700 ? typed.current.text + e.key : e.key, at: now };
          e.preventDefault();
          setActive(typeAhead(folders.map((f) => f.name), typed.current.text, active));
        }
    }
  }

  function onDialogKey(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      onCancel();
    }
  }

  const activeId = active >= 0 ? `folder-option-${active}` : undefined;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div ref={box} className="dialog-frame folder-dialog" role="dialog" aria-modal="true" aria-labelledby="folder-dialog-title" data-testid="folder-browser" onKeyDown={onDialogKey}>
        <header className="dialog-head">
          <h2 id="folder-dialog-title">{title}</h2>
          <button type="button" className="btn btn-small dialog-close" onClick={onCancel} aria-label="Close">
            <CloseIcon size={12} />
          </button>
        </header>
        <div className="folder-bar">
          <nav aria-label="Folder path" className="folder-crumbs">
            {listing
              ? crumbs(listing.home, listing.path).map((c, i, all) => (
                  <span key={c.path} className="folder-crumb">
                    {i > 0 ? <span className="folder-sep" aria-hidden="true">/</span> : null}
                    <button type="button" className="folder-crumb-btn" aria-current={i === all.length - 1 ? 'location' : undefined} title={c.path} onClick={() => open(c.path)}>
                      {c.label}
                    </button>
                  </span>
                ))
              : null}
          </nav>
          <label className="folder-hidden" title="Ctrl+H">
            <input type="checkbox" checked={showHidden} onChange={toggleHidden} /> Show hidden folders
          </label>
        </div>
        {error ? <InlineError prefix="Cannot show that folder" message={error} /> : null}
        <ul
          ref={list}
          className="folder-list"
          role="listbox"
          tabIndex={0}
          aria-label={`Folders in ${here || 'your home folder'}`}
          aria-activedescendant={activeId}
          aria-busy={loading}
          onKeyDown={onListKey}
        >
          {listing?.parent ? (
            <li className="folder-row folder-up" role="presentation" onClick={up} title="Up one folder (Backspace)">
              <FolderIcon size={14} /> ..
            </li>
          ) : null}
          {folders.map((f, i) => (
            <li
              key={f.path}
              id={`folder-option-${i}`}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={`folder-row${i === active ? ' active' : ''}${f.hidden ? ' hidden-folder' : ''}`}
              onClick={() => setActive(i)}
              onDoubleClick={() => open(f.path)}
            >
              <FolderIcon size={14} /> <span className="folder-name">{f.name}</span>
            </li>
          ))}
          {!loading && listing && folders.length === 0 ? <li className="folder-empty muted" role="presentation">No folders here{showHidden ? '' : ' (hidden ones are not shown)'}.</li> : null}
          {loading && !listing ? (
            <li className="folder-empty muted" role="presentation">
              <Spinner /> Reading…
            </li>
          ) : null}
        </ul>
        {listing?.truncated ? <p className="folder-note muted">Showing the first {folders.length} folders; type a longer path in the field for others.</p> : null}
        <p className="folder-note folder-keys muted">↑↓ move · Enter opens · Backspace goes up · letters find · Ctrl+H hidden · Ctrl+Enter chooses</p>
        <footer className="dialog-foot">
          <span className="folder-picked mono" title={picked ?? ''} data-testid="folder-picked">
            {picked && listing ? homeRelative(picked, listing.home) : ''}
          </span>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={!picked} onClick={() => picked && onPick(picked)}>
            {action}
          </button>
        </footer>
      </div>
    </div>
  );
}

/**
 * Pick a notebook from a workspace — the same workspaces as the Workspace page (`workspace.*`):
 * the one opened last is shown, the recent ones are a click away, and another folder opens as a
 * workspace (so it is remembered there too). Lists the .ipynb files under it and creates new
 * ones. Opening navigates to `#/notebooks/<workspace root>/<path>`, so a notebook has a URL.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MethodOutput, RecentWorkspace } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { FolderOpenIcon, NotebooksIcon } from '../components/Icons';
import { MessageText } from '../components/MessageText';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { useFolderPicker } from '../folders/use-folder-picker';
import { pathProblem } from '../workspace/folder-paths';

export function notebookHref(root: string, path: string): string {
  return routeHref('notebooks', root, path);
}

function withExtension(name: string): string {
  const trimmed = name.trim();
  return trimmed.toLowerCase().endsWith('.ipynb') ? trimmed : `${trimmed}.ipynb`;
}

export function NotebookBrowser() {
  const api = useApi();
  const { generation } = useEngineStatus();
  const folders = useFolderPicker();
  const [recent, setRecent] = useState<RecentWorkspace[]>([]);
  const [root, setRoot] = useState<string | null>(null);
  const [listing, setListing] = useState<MethodOutput<'notebooks.list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const [folderError, setFolderError] = useState<string | null>(null);

  const list = useCallback(
    async (workspaceRoot: string) => {
      setRoot(workspaceRoot);
      try {
        setListing(await api.call('notebooks.list', { root: workspaceRoot }));
        setError(null);
      } catch (err) {
        setListing(null);
        setError(errorText(err));
      }
    },
    [api],
  );

  // The workspace opened last (here or on the Workspace page) is the one shown.
  useEffect(() => {
    let alive = true;
    api
      .call('workspace.recent', {})
      .then((r) => {
        if (!alive) return;
        setRecent(r);
        const first = r.find((w) => w.exists);
        if (first) void list(first.path);
      })
      .catch((err: unknown) => alive && setError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api, generation, list]);

  async function openWorkspace(path: string): Promise<void> {
    const problem = pathProblem(path);
    setFolderError(problem);
    if (problem) return;
    try {
      const info = await api.call('workspace.open', { path: path.trim() });
      setFolder('');
      setRecent(await api.call('workspace.recent', {}));
      await list(info.root);
    } catch (err) {
      setFolderError(errorText(err));
    }
  }

  const choices = recent.filter((w) => w.exists);
  return (
    <section className="panel nb-browser" aria-label="Open a notebook">
      <h2>Open a notebook</h2>
      {choices.length ? null : <p className="muted">Notebooks live in a workspace folder. Open one:</p>}
      <div className="nb-browser-grid">
        {choices.length ? (
          <>
            <label htmlFor="nb-workspace">Workspace</label>
            <select id="nb-workspace" className="input select mono" value={root ?? ''} onChange={(e) => void list(e.target.value)}>
              {root && !choices.some((w) => w.path === root) ? <option value={root}>{root}</option> : null}
              {choices.map((w) => (
                <option key={w.path} value={w.path}>
                  {w.name} — {w.path}
                </option>
              ))}
            </select>
            {root ? (
              <a className="btn" href={routeHref('workspace', root)}>
                Show in Workspace
              </a>
            ) : (
              <span />
            )}
          </>
        ) : null}
        <form
          className="nb-browser-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void openWorkspace(folder);
          }}
        >
          <label htmlFor="nb-root">{choices.length ? 'Other folder' : 'Workspace folder'}</label>
          <input id="nb-root" className="input mono" value={folder} placeholder="/home/you/project" aria-invalid={folderError !== null} onChange={(e) => setFolder(e.target.value)} />
          <span className="nb-browser-actions">
            <button
              type="button"
              className="btn"
              onClick={async () => {
                const picked = await folders.pick({ title: 'Open a folder of notebooks', action: 'Open', start: folder.trim() || root || undefined }).catch(() => null);
                if (picked) await openWorkspace(picked);
              }}
            >
              <FolderOpenIcon size={14} /> Browse…
            </button>
            <button type="submit" className="btn">
              Open folder
            </button>
          </span>
        </form>
      </div>
      {folderError ? (
        <p className="field-error" role="alert">
          <MessageText text={folderError} />
        </p>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
      {listing ? <NotebookList listing={listing} /> : null}
      {folders.dialog}
    </section>
  );
}

function NotebookList({ listing }: { listing: MethodOutput<'notebooks.list'> }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);

  async function create(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!name.trim()) return;
    try {
      const made = await api.call('notebooks.create', { root: listing.root, path: withExtension(name) });
      navigate('notebooks', made.root, made.path);
    } catch (err) {
      setCreateError(errorText(err));
    }
  }

  return (
    <>
      {listing.files.length === 0 ? (
        <p className="muted">No .ipynb files in {listing.root}. Create one below.</p>
      ) : (
        <ul className="nb-file-list" aria-label="Notebooks">
          {listing.files.map((f) => (
            <li key={f.path}>
              <a href={notebookHref(listing.root, f.path)} className="nb-file-link">
                <NotebooksIcon size={14} /> {f.path}
              </a>
              <span className="muted"> {new Date(f.mtimeMs).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
      {listing.truncated ? <p className="muted">Only the first {listing.files.length} notebooks are listed.</p> : null}
      <div className="nb-browser-grid">
        <form className="nb-browser-form" onSubmit={(e) => void create(e)}>
          <label htmlFor="nb-new">New notebook</label>
          <input id="nb-new" className="input mono" value={name} placeholder="explore.ipynb" onChange={(e) => setName(e.target.value)} />
          <span className="nb-browser-actions">
            <button type="submit" className="btn btn-primary" disabled={!name.trim()}>
              Create
            </button>
          </span>
        </form>
      </div>
      {createError ? <p className="field-error">{createError}</p> : null}
    </>
  );
}

/**
 * Pick a notebook: a workspace folder (remembered), the .ipynb files under it, and a new
 * notebook by name. Opening navigates to `#/notebooks/<folder>/<path>`, so a notebook has a URL.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { NotebooksIcon } from '../components/Icons';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';

const ROOT_KEY = 'kfd.notebooks.root';

export function notebookHref(root: string, path: string): string {
  return routeHref('notebooks', root, path);
}

function withExtension(name: string): string {
  const trimmed = name.trim();
  return trimmed.toLowerCase().endsWith('.ipynb') ? trimmed : `${trimmed}.ipynb`;
}

export function NotebookBrowser() {
  const api = useApi();
  const [root, setRoot] = useState(() => localStorage.getItem(ROOT_KEY) ?? '');
  const [listing, setListing] = useState<MethodOutput<'notebooks.list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);

  const list = useCallback(
    async (folder: string) => {
      if (!folder.trim()) return;
      try {
        const result = await api.call('notebooks.list', { root: folder.trim() });
        setListing(result);
        setError(null);
        localStorage.setItem(ROOT_KEY, folder.trim());
      } catch (err) {
        setListing(null);
        setError(errorText(err));
      }
    },
    [api],
  );

  useEffect(() => {
    if (root) void list(root);
    // Only the remembered folder on first show; later lists come from the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function create(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!listing || !name.trim()) return;
    try {
      const made = await api.call('notebooks.create', { root: listing.root, path: withExtension(name) });
      navigate('notebooks', made.root, made.path);
    } catch (err) {
      setCreateError(errorText(err));
    }
  }

  return (
    <section className="panel nb-browser" aria-label="Open a notebook">
      <h2>Open a notebook</h2>
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          void list(root);
        }}
      >
        <label htmlFor="nb-root">Workspace folder</label>
        <input id="nb-root" className="input mono nb-root-input" value={root} placeholder="/home/you/project" onChange={(e) => setRoot(e.target.value)} />
        <button type="submit" className="btn">
          List notebooks
        </button>
      </form>
      {error ? <p className="field-error">{error}</p> : null}
      {listing ? (
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
          <form className="field-row" onSubmit={(e) => void create(e)}>
            <label htmlFor="nb-new">New notebook</label>
            <input id="nb-new" className="input mono" value={name} placeholder="explore.ipynb" onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="btn btn-primary" disabled={!name.trim()}>
              Create
            </button>
          </form>
          {createError ? <p className="field-error">{createError}</p> : null}
        </>
      ) : null}
    </section>
  );
}

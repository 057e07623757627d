/**
 * The notebook file behind the editor: load, save (Ctrl+S, and autosave shortly after changes),
 * and changes made on disk by someone else — a clean notebook simply reloads, a dirty one asks
 * before anything is lost. Every save names the hash it started from, so the engine refuses to
 * overwrite a file that changed underneath us.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { toContent } from './notebook-doc';
import { initialState, isDirty, notebookReducer, type NotebookState } from './notebook-state';

const AUTOSAVE_MS = 1500;
const AUTOSAVE_MAX_WAIT_MS = 10_000;
const POLL_MS = 3000;

export type LoadState = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };
export interface Conflict {
  message: string;
}

export function useNotebookFile(root: string, path: string) {
  const api = useApi();
  const [state, dispatch] = useReducer(notebookReducer, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, initialState);
  const [load, setLoad] = useState<LoadState>({ state: 'loading' });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const baseHash = useRef<string | null>(null);
  /** The workspace's real path and the notebook's path in it, as the engine resolved them. */
  const [opened, setOpened] = useState<{ root: string; path: string } | null>(null);
  const stateRef = useRef<NotebookState>(state);
  stateRef.current = state;
  const savingRef = useRef(false);
  const dirtySince = useRef<number | null>(null);

  const reload = useCallback(async (): Promise<void> => {
    try {
      const opened = await api.call('notebooks.open', { root, path });
      baseHash.current = opened.hash;
      setOpened({ root: opened.root, path: opened.path });
      dispatch({ type: 'load', content: opened.content });
      setConflict(null);
      setSaveError(null);
      setLoad({ state: 'ready' });
    } catch (err) {
      setLoad({ state: 'error', message: errorText(err) });
    }
  }, [api, root, path]);

  useEffect(() => {
    setLoad({ state: 'loading' });
    void reload();
  }, [reload]);

  const save = useCallback(
    async (force = false): Promise<boolean> => {
      if (savingRef.current) return false;
      savingRef.current = true;
      setSaving(true);
      const { version, doc } = stateRef.current;
      try {
        const r = await api.call('notebooks.save', { root, path, content: toContent(doc), baseHash: baseHash.current, force });
        baseHash.current = r.hash;
        dispatch({ type: 'saved', version });
        setSaveError(null);
        setConflict(null);
        return true;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'conflict') setConflict({ message: errorText(err) });
        else setSaveError(errorText(err));
        return false;
      } finally {
        savingRef.current = false;
        setSaving(false);
      }
    },
    [api, root, path],
  );

  // Autosave: shortly after the last change, and at least every few seconds while output streams in.
  const dirty = isDirty(state);
  useEffect(() => {
    if (!dirty) {
      dirtySince.current = null;
      return;
    }
    if (load.state !== 'ready' || conflict || saving) return;
    dirtySince.current ??= Date.now();
    const wait = Math.max(0, Math.min(AUTOSAVE_MS, dirtySince.current + AUTOSAVE_MAX_WAIT_MS - Date.now()));
    const t = setTimeout(() => void save(), wait);
    return () => clearTimeout(t);
  }, [dirty, state.version, load.state, conflict, saving, save]);

  // Someone else wrote the file: reload a clean notebook, ask about a dirty one.
  useEffect(() => {
    if (load.state !== 'ready') return;
    const timer = setInterval(async () => {
      if (savingRef.current || document.visibilityState === 'hidden') return;
      try {
        const s = await api.call('notebooks.stat', { root, path });
        if (savingRef.current || !s.hash || s.hash === baseHash.current) return;
        if (!isDirty(stateRef.current)) {
          await reload();
          setNotice(`${path} changed on disk; reloaded.`);
        } else {
          setConflict({ message: `${path} changed on disk while you have unsaved changes here.` });
        }
      } catch {
        // engine unreachable: the banner elsewhere says so
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, root, path, load.state, reload]);

  return {
    opened,
    state,
    dispatch,
    load,
    dirty,
    saving,
    saveError,
    conflict,
    notice,
    save,
    reload,
    dismissNotice: () => setNotice(null),
    keepMine: () => void save(true),
  };
}

export type NotebookFile = ReturnType<typeof useNotebookFile>;

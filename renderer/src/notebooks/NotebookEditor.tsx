/**
 * An open notebook: toolbar, banners (changed on disk, save problems, Jupyter missing), the
 * cells, and the notebook → job panel. The file and the kernel each live in their own hook.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BackIcon } from '../components/Icons';
import { routeHref } from '../routes';
import { CellView, type CellActions } from './CellView';
import { JupyterPanel } from './JupyterPanel';
import { joinText } from './notebook-doc';
import { codeKeys, kernelNameOf } from './notebook-state';
import { KernelPicker, NotebookToolbar } from './NotebookToolbar';
import { ToJobPanel } from './ToJobPanel';
import { useKernel } from './use-kernel';
import { useNotebookFile } from './use-notebook-file';

export function NotebookEditor({ root, path }: { root: string; path: string }) {
  const file = useNotebookFile(root, path);
  const { state, dispatch } = file;
  const stateRef = useRef(state);
  stateRef.current = state;
  const kernelName = useCallback(() => kernelNameOf(stateRef.current), []);
  const kernel = useKernel(file.opened?.root ?? null, file.opened?.path ?? path, dispatch, kernelName);
  const [jobMode, setJobMode] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const focusSelected = useRef(false);
  const saveRef = useRef(file.save);
  saveRef.current = file.save;
  const [focusToken, setFocusToken] = useState<{ key: string; n: number }>({ key: '', n: 0 });

  const runKeys = useCallback(
    (keys: string[], latest?: { key: string; text: string }) => {
      const byKey = new Map(stateRef.current.doc.cells.map((c) => [c.key, c.cell]));
      return kernel.run(keys.map((key) => ({ key, code: key === latest?.key ? latest.text : joinText(byKey.get(key)?.source) })));
    },
    [kernel.run],
  );

  const actions: CellActions = useMemo(
    () => ({
      select: (key) => dispatch({ type: 'select', key }),
      edit: (key, text) => dispatch({ type: 'edit', key, text }),
      move: (key, delta) => dispatch({ type: 'move', key, delta }),
      remove: (key) => dispatch({ type: 'delete', key }),
      setType: (key, cellType) => dispatch({ type: 'setType', key, cellType }),
      save: () => void saveRef.current(),
      run: (key, mode, text) => {
        const cells = stateRef.current.doc.cells;
        const index = cells.findIndex((c) => c.key === key);
        if (cells[index]?.cell.cell_type === 'code') void runKeys([key], text === undefined ? undefined : { key, text });
        if (mode === 'stay') return;
        focusSelected.current = true;
        const next = cells[index + 1];
        if (mode === 'advance' && next) dispatch({ type: 'select', key: next.key });
        else dispatch({ type: 'insert', index: index + 1, cellType: 'code' });
      },
    }),
    [dispatch, runKeys],
  );

  // Shift+Enter / Alt+Enter / "+ Code" move the caret into the selected cell.
  useEffect(() => {
    if (!focusSelected.current || !state.selected) return;
    focusSelected.current = false;
    const key = state.selected;
    setFocusToken((t) => ({ key, n: t.n + 1 }));
  }, [state.selected, state.doc.cells.length]);

  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void file.save();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [file.save]);

  const meta = state.doc.top.metadata as { kernelspec?: { display_name?: string } } | undefined;
  const chosenIndices = state.doc.cells.flatMap((c, i) => (chosen.has(c.key) ? [i] : []));

  if (file.load.state === 'loading') return <p className="muted">Opening {path}…</p>;
  if (file.load.state === 'error') {
    return (
      <div className="banner banner-error" role="alert">
        <div className="banner-text">
          <strong>Cannot open {path}.</strong> {file.load.message}{' '}
          <a href={routeHref('notebooks')}>Back to notebooks</a>
        </div>
      </div>
    );
  }

  return (
    <div className="nb-page" data-testid="notebook-editor" data-path={path} data-dirty={file.dirty ? 'true' : 'false'}>
      <header className="nb-header">
        <a className="btn btn-small" href={routeHref('notebooks')} aria-label="All notebooks">
          <BackIcon size={12} />
        </a>
        <h2 className="nb-title">
          {path}
          {file.dirty ? <span className="nb-dirty-title" aria-label="unsaved changes"> ●</span> : null}
        </h2>
        <span className="muted nb-root" title={file.opened?.root ?? root}>
          {file.opened?.root ?? root}
        </span>
        <KernelPicker
          kernel={kernel}
          kernelName={kernelNameOf(state)}
          kernelLabel={meta?.kernelspec?.display_name ?? 'Python 3'}
          onPickKernel={(spec) => {
            dispatch({ type: 'setKernelspec', ...spec });
            void kernel.switchKernel(spec.name);
          }}
        />
      </header>
      <NotebookToolbar
        dirty={file.dirty}
        saving={file.saving}
        kernel={kernel}
        onSave={() => void file.save()}
        onAdd={(cellType) => {
          focusSelected.current = true;
          const at = state.doc.cells.findIndex((c) => c.key === state.selected);
          dispatch({ type: 'insert', index: at < 0 ? state.doc.cells.length : at + 1, cellType });
        }}
        onRun={(which) => void runKeys(codeKeys(stateRef.current, which))}
        onToJob={() => setJobMode((on) => !on)}
      />
      {file.conflict ? (
        <div className="banner banner-error" role="alert" data-testid="conflict-banner">
          <div className="banner-text">
            {file.conflict.message}{' '}
            <button type="button" className="btn btn-small" onClick={() => void file.reload()}>
              Reload from disk
            </button>{' '}
            <button type="button" className="btn btn-small" onClick={file.keepMine}>
              Keep mine (overwrite)
            </button>
          </div>
        </div>
      ) : null}
      {file.notice ? (
        <div className="banner" role="status">
          <div className="banner-text">{file.notice}</div>
          <button type="button" className="btn btn-small" onClick={file.dismissNotice}>
            OK
          </button>
        </div>
      ) : null}
      {file.saveError ? (
        <div className="banner banner-error" role="alert">
          <div className="banner-text">Saving failed: {file.saveError}</div>
        </div>
      ) : null}
      {kernel.error?.code === 'unavailable' ? (
        <JupyterPanel compact />
      ) : kernel.error ? (
        <div className="banner banner-error" role="alert">
          <div className="banner-text pre-wrap">{kernel.error.message}</div>
          <button type="button" className="btn btn-small" onClick={kernel.clearError}>
            Dismiss
          </button>
        </div>
      ) : null}
      {jobMode ? (
        <ToJobPanel root={file.opened?.root ?? root} path={file.opened?.path ?? path} chosen={chosenIndices} saveFirst={() => (file.dirty ? file.save() : Promise.resolve(true))} onClose={() => setJobMode(false)} />
      ) : null}
      <div className="nb-cells">
        {state.doc.cells.map((item, i) => (
          <CellView
            key={item.key}
            item={item}
            index={i}
            selected={state.selected === item.key}
            run={state.run[item.key]}
            actions={actions}
            chosen={jobMode ? chosen.has(item.key) : undefined}
            focusRequest={focusToken.key === item.key ? focusToken.n : undefined}
            notebookId={`${file.opened?.root ?? root}/${file.opened?.path ?? path}`}
            onChoose={
              jobMode
                ? (key, on) =>
                    setChosen((prev) => {
                      const next = new Set(prev);
                      if (on) next.add(key);
                      else next.delete(key);
                      return next;
                    })
                : undefined
            }
          />
        ))}
        {state.doc.cells.length === 0 ? <p className="muted">This notebook has no cells yet. Add one:</p> : null}
        <div className="nb-add-row">
          <button type="button" className="btn btn-small" onClick={() => dispatch({ type: 'insert', index: state.doc.cells.length, cellType: 'code' })}>
            + Code
          </button>
          <button type="button" className="btn btn-small" onClick={() => dispatch({ type: 'insert', index: state.doc.cells.length, cellType: 'markdown' })}>
            + Markdown
          </button>
        </div>
      </div>
    </div>
  );
}

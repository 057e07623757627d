/**
 * The Monaco side of EditorView (a lazy chunk). One editor per mount; one model per `path`,
 * kept while the tab is open so undo history and scroll position survive tab switches.
 * `value` is the source of truth: a different value from outside (a reload, a quick control)
 * is applied as an undoable edit.
 */
import { useEffect, useRef } from 'react';
import { useTheme } from '../theme/ThemeProvider';
import { onReveal, setModelReleaser, takeReveal, type RevealRequest } from './editor-bridge';
import type { EditorViewProps } from './EditorView';
import { monaco, setEditorTheme } from './monaco-setup';

type Model = monaco.editor.ITextModel;

const models = new Map<string, Model>();
const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
let anonymous = 0;

setModelReleaser((path) => {
  models.get(path)?.dispose();
  models.delete(path);
  viewStates.delete(path);
});

function modelFor(path: string, value: string, language: string): Model {
  let model = models.get(path);
  if (!model || model.isDisposed()) {
    // file:// URIs let monaco-yaml match "**/trainjob.yaml" to the TrainJob schema.
    const uri = path.startsWith('/') ? monaco.Uri.file(path) : monaco.Uri.parse(`inmemory://kfd/${encodeURIComponent(path)}`);
    model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(value, language, uri);
    models.set(path, model);
  }
  if (model.getLanguageId() !== language) monaco.editor.setModelLanguage(model, language);
  return model;
}

const SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info };

export default function MonacoEditor({ value, language, onChange, readOnly = false, height = '100%', markers, path, onSave, ariaLabel }: EditorViewProps) {
  const { resolved } = useTheme();
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const ownPath = useRef(path ?? `cell-${++anonymous}`);
  const key = path ?? ownPath.current;
  // Callbacks in refs: the editor is created once, the handlers change every render.
  const handlers = useRef({ onChange, onSave });
  handlers.current = { onChange, onSave };
  const applying = useRef(false);
  const shownKey = useRef<string | null>(null);

  useEffect(() => {
    const e = monaco.editor.create(box.current!, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 4,
      renderWhitespace: 'selection',
      fixedOverflowWidgets: true,
      ariaLabel: ariaLabel ?? 'Editor',
      model: null,
    });
    editor.current = e;
    e.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => handlers.current.onSave?.());
    const sub = e.onDidChangeModelContent(() => {
      if (!applying.current) handlers.current.onChange?.(e.getValue());
    });
    return () => {
      sub.dispose();
      if (shownKey.current) viewStates.set(shownKey.current, e.saveViewState());
      e.dispose();
      editor.current = null;
      // A path-less editor (a notebook cell) owns its model.
      if (!path) {
        models.get(ownPath.current)?.dispose();
        models.delete(ownPath.current);
      }
    };
  }, []);

  // Switch models when the file changes; keep each file's view state.
  useEffect(() => {
    const e = editor.current!;
    if (shownKey.current && shownKey.current !== key) viewStates.set(shownKey.current, e.saveViewState());
    const model = modelFor(key, value, language);
    if (e.getModel() !== model) {
      e.setModel(model);
      const state = viewStates.get(key);
      if (state) e.restoreViewState(state);
    }
    shownKey.current = key;
    reveal(takeReveal(key));
  }, [key, language]);

  // Outside changes to the value become one undoable edit.
  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model || model.getValue() === value) return;
    applying.current = true;
    try {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
      model.pushStackElement();
    } finally {
      applying.current = false;
    }
  }, [value, key]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly, readOnlyMessage: { value: 'This file opened read-only.' } });
  }, [readOnly]);

  useEffect(() => setEditorTheme(resolved), [resolved]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'kfd',
      (markers ?? []).map((m) => ({
        severity: SEVERITY[m.severity],
        message: m.message,
        startLineNumber: m.line,
        startColumn: m.column,
        endLineNumber: m.endLine,
        endColumn: m.endColumn,
      })),
    );
  }, [markers, key]);

  function reveal(r: RevealRequest | null): void {
    const e = editor.current;
    if (!r || !e) return;
    e.revealLineInCenterIfOutsideViewport(r.line);
    e.setPosition({ lineNumber: Math.max(1, r.line), column: Math.max(1, r.column) });
    e.focus();
  }
  useEffect(() => onReveal((r) => r.path === key && reveal(takeReveal(key))), [key]);

  return <div ref={box} className="monaco-box" style={{ height }} data-testid="monaco-editor" data-path={path} />;
}

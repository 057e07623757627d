/**
 * The Monaco side of EditorView (a lazy chunk). One editor per mount; one model per `path`,
 * kept while the tab is open so undo history and scroll position survive tab switches.
 * `value` is the source of truth: a different value from outside (a reload, a quick control)
 * is applied as an undoable edit.
 */
import { useEffect, useRef, useState } from 'react';
import { useTheme } from '../theme/ThemeProvider';
import { onReveal, setModelReleaser, takeReveal, type RevealRequest } from './editor-bridge';
import type { EditorKeys, EditorViewProps } from './EditorView';
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

const KEYS: Record<EditorKeys, number> = {
  'Shift+Enter': monaco.KeyMod.Shift | monaco.KeyCode.Enter,
  'CtrlCmd+Enter': monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter,
  'Alt+Enter': monaco.KeyMod.Alt | monaco.KeyCode.Enter,
  Escape: monaco.KeyCode.Escape,
};

/** Options for a short snippet (a notebook cell): no gutter furniture, the page scrolls, not the editor. */
const COMPACT: monaco.editor.IStandaloneEditorConstructionOptions = {
  lineNumbers: 'off',
  folding: false,
  glyphMargin: false,
  lineDecorationsWidth: 6,
  renderLineHighlight: 'none',
  overviewRulerLanes: 0,
  hideCursorInOverviewRuler: true,
  lineHeight: 19,
  padding: { top: 6, bottom: 6 },
  scrollbar: { vertical: 'hidden', horizontal: 'auto', alwaysConsumeMouseWheel: false, useShadows: false },
  // Word-based suggestions in a small box would cover the next cell, and Enter would take one.
  quickSuggestions: false,
  suggestOnTriggerCharacters: false,
  wordBasedSuggestions: 'off',
};

const SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info };

export default function MonacoEditor(props: EditorViewProps) {
  const { value, language, onChange, readOnly = false, markers, path, onSave, ariaLabel, autoHeight, compact, commands, onFocus } = props;
  const { resolved } = useTheme();
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const ownPath = useRef(path ?? `cell-${++anonymous}`);
  const key = path ?? ownPath.current;
  // Callbacks in refs: the editor is created once, the handlers change every render.
  const handlers = useRef({ onChange, onSave, commands, onFocus });
  handlers.current = { onChange, onSave, commands, onFocus };
  const [contentHeight, setContentHeight] = useState<number | null>(null);
  const height = autoHeight ? (contentHeight ?? 'auto') : (props.height ?? '100%');
  const applying = useRef(false);
  // Values this editor reported through onChange that may not have come back as `value` yet.
  const emitted = useRef<string[]>([]);
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
      ...(compact ? COMPACT : {}),
    });
    editor.current = e;
    // Actions, not addCommand: an action's keybinding belongs to this editor and goes with it,
    // while addCommand registers a global binding (the last editor's wins, and it outlives its
    // editor) — wrong once a page has many editors (notebook cells).
    e.addAction({ id: 'kfd.save', label: 'Save', keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS], run: () => handlers.current.onSave?.() });
    for (const c of commands ?? []) {
      e.addAction({
        id: `kfd.${c.keys}`,
        label: c.keys,
        keybindings: [KEYS[c.keys]],
        ...(c.when ? { precondition: c.when } : {}),
        run: () => handlers.current.commands?.find((x) => x.keys === c.keys)?.run(e.getValue()),
      });
    }
    const subs = [
      e.onDidChangeModelContent(() => {
        if (applying.current) return;
        const text = e.getValue();
        emitted.current.push(text);
        if (emitted.current.length > 100) emitted.current.shift();
        handlers.current.onChange?.(text);
      }),
      e.onDidFocusEditorText(() => handlers.current.onFocus?.()),
    ];
    if (autoHeight) subs.push(e.onDidContentSizeChange((ev) => ev.contentHeightChanged && setContentHeight(ev.contentHeight)));
    return () => {
      for (const sub of subs) sub.dispose();
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
      emitted.current = [];
      e.setModel(model);
      const state = viewStates.get(key);
      if (state) e.restoreViewState(state);
    }
    shownKey.current = key;
    if (autoHeight) setContentHeight(e.getContentHeight());
    reveal(takeReveal(key));
  }, [key, language]);

  useEffect(() => {
    if (props.autoFocus) editor.current?.focus();
  }, []);
  const firstFocusRequest = useRef(props.focusRequest);
  useEffect(() => {
    if (props.focusRequest !== firstFocusRequest.current) editor.current?.focus();
  }, [props.focusRequest]);

  // Outside changes to the value become one undoable edit. A value we reported ourselves is
  // not one: while the user types fast it comes back after the model has moved on, and applying
  // it would drop the keys typed since.
  useEffect(() => {
    const model = editor.current?.getModel();
    const echo = emitted.current.indexOf(value);
    if (echo >= 0) {
      emitted.current.splice(0, echo + 1);
      return;
    }
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

  return <div ref={box} className={`monaco-box${autoHeight ? ' monaco-box-auto' : ''}`} style={{ height }} data-testid="monaco-editor" data-path={path} />;
}

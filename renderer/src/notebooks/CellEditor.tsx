/**
 * The text of one cell, edited with the workspace's Monaco `EditorView` (Python highlighting for
 * code, auto height). Monaco is heavy, so a cell only gets an editor while it is on or near the
 * screen or has the focus; elsewhere (and until Monaco's chunk has loaded) an auto-growing
 * textarea with the same keys stands in. An editor's model is kept per cell, so undo history
 * survives scrolling away and back.
 * Keys: Shift+Enter runs and moves on, Ctrl/Cmd+Enter runs in place, Alt+Enter runs and inserts
 * a cell below, Escape leaves the editor (so Tab moves the focus again).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { releaseEditorModel } from '../editor/editor-bridge';
import { EditorView, type EditorCommand } from '../editor/EditorView';
import { useNearViewport } from './use-near-viewport';

export type RunMode = 'stay' | 'advance' | 'insert';

export interface CellEditorProps {
  value: string;
  language: 'python' | 'markdown' | 'plaintext';
  onChange(value: string): void;
  /** `text`: the editor's text at the key press (newer than `value` while typing fast). */
  onRun(mode: RunMode, text: string): void;
  onFocus?(): void;
  /** Ctrl/Cmd+S inside the editor (Monaco keeps that key from reaching the page). */
  onSave?(): void;
  autoFocus?: boolean;
  /** Changing it moves the keyboard focus into this cell (after Shift+Enter, "+ Code"). */
  focusRequest?: number | undefined;
  /** Identifies the cell's editor model (undo history) across remounts; released on unmount. */
  modelPath: string;
  ariaLabel: string;
}

// Monaco's own widgets keep Escape while they are open.
const NO_WIDGET = '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible && !inSnippetMode && !renameInputVisible';

export function CellEditor(props: CellEditorProps) {
  const { value, language, onChange, onFocus, onSave, autoFocus, focusRequest, modelPath, ariaLabel } = props;
  const box = useRef<HTMLDivElement>(null);
  const plain = useRef<HTMLTextAreaElement>(null);
  const near = useNearViewport(box);
  const [focused, setFocused] = useState(false);
  const active = near || focused;
  const onRun = useRef(props.onRun);
  onRun.current = props.onRun;

  // When Monaco replaces a focused textarea, it takes the focus over.
  const wasActive = useRef(false);
  const takeFocus = useRef(false);
  if (active && !wasActive.current) takeFocus.current = Boolean(autoFocus) || (plain.current !== null && document.activeElement === plain.current);
  wasActive.current = active;

  const commands: EditorCommand[] = useMemo(
    () => [
      { keys: 'Shift+Enter', run: (text) => onRun.current('advance', text) },
      { keys: 'CtrlCmd+Enter', run: (text) => onRun.current('stay', text) },
      { keys: 'Alt+Enter', run: (text) => onRun.current('insert', text) },
      { keys: 'Escape', when: NO_WIDGET, run: () => (document.activeElement as HTMLElement | null)?.blur() },
    ],
    [],
  );

  useEffect(() => {
    if (focusRequest === undefined) return;
    box.current?.scrollIntoView({ block: 'nearest' });
    if (!box.current?.querySelector('.monaco-editor')) plain.current?.focus(); // Monaco handles its own
  }, [focusRequest]);

  useEffect(() => () => releaseEditorModel(modelPath), [modelPath]);

  const textarea = <PlainCellEditor inputRef={plain} {...props} onRun={(mode, text) => onRun.current(mode, text)} />;
  return (
    <div
      ref={box}
      className="nb-cell-editor"
      data-testid="cell-editor"
      data-monaco={active ? 'true' : 'false'}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      {active ? (
        <EditorView
          value={value}
          language={language}
          onChange={onChange}
          path={modelPath}
          autoHeight
          compact
          commands={commands}
          autoFocus={takeFocus.current}
          focusRequest={focusRequest}
          onFocus={onFocus}
          onSave={onSave}
          ariaLabel={ariaLabel}
          loading={textarea}
        />
      ) : (
        textarea
      )}
    </div>
  );
}

type PlainProps = CellEditorProps & { inputRef: RefObject<HTMLTextAreaElement | null> };

/** The stand-in: a textarea that grows with its text and knows the run keys. */
function PlainCellEditor({ inputRef, value, language, onChange, onRun, onFocus, autoFocus, ariaLabel }: PlainProps) {
  // Grow with the text: notebooks read top to bottom, not in little scroll boxes.
  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
  }, [value]);

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): void {
    if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey || e.altKey)) {
      e.preventDefault();
      onRun(e.shiftKey ? 'advance' : e.altKey ? 'insert' : 'stay', e.currentTarget.value);
    } else if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      const el = e.currentTarget;
      const { selectionStart: start, selectionEnd: end } = el;
      onChange(`${value.slice(0, start)}    ${value.slice(end)}`);
      requestAnimationFrame(() => el.setSelectionRange(start + 4, start + 4));
    } else if (e.key === 'Escape') {
      e.currentTarget.blur();
    }
  }

  return (
    <textarea
      ref={inputRef}
      className={`nb-editor mono nb-lang-${language}`}
      value={value}
      rows={1}
      spellCheck={language === 'markdown'}
      autoFocus={autoFocus}
      aria-label={ariaLabel}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    />
  );
}

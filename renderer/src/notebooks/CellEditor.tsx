/**
 * The text of one cell. A plain auto-growing textarea for now; the workspace's Monaco
 * `EditorView` can replace it here (and only here) once it grows auto-height and a way to bind
 * Shift+Enter. Keys: Shift+Enter runs and moves on, Ctrl/Cmd+Enter runs in place, Alt+Enter runs
 * and inserts a cell below, Tab indents, Escape leaves the editor (so Tab moves focus again).
 */
import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';

export type RunMode = 'stay' | 'advance' | 'insert';

export interface CellEditorProps {
  value: string;
  language: 'python' | 'markdown' | 'plaintext';
  onChange(value: string): void;
  onRun(mode: RunMode): void;
  onFocus?(): void;
  autoFocus?: boolean;
  ariaLabel: string;
}

export function CellEditor({ value, language, onChange, onRun, onFocus, autoFocus, ariaLabel }: CellEditorProps) {
  const ref = useRef<HTMLTextAreaElement>(null);

  // Grow with the text: notebooks read top to bottom, not in little scroll boxes.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
  }, [value]);

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): void {
    if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey || e.altKey)) {
      e.preventDefault();
      onRun(e.shiftKey ? 'advance' : e.altKey ? 'insert' : 'stay');
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
      ref={ref}
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

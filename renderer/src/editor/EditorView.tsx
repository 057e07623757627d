/**
 * A code editor: Monaco, loaded on first use (its chunk is not in the initial bundle). Until it
 * has loaded, or if it cannot load, a plain textarea with the same value stands in, so text is
 * never out of reach. Notebook cells use it too: `autoHeight`, `compact` and `commands` (their
 * run keys) exist for them.
 */
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { EditorLanguage } from './languages';
import type { EditorMarker } from './markers';
import './editor.css';

export interface EditorViewProps {
  value: string;
  language: EditorLanguage;
  onChange?(value: string): void;
  readOnly?: boolean;
  /** CSS height of the editor box, e.g. 320 or "100%". */
  height?: number | string;
  markers?: readonly EditorMarker[];
  /** Identity of the document (an absolute file path): undo history and view state stay with it. */
  path?: string;
  /** Ctrl/Cmd+S inside the editor. */
  onSave?(): void;
  ariaLabel?: string;
  /** Grow and shrink with the text instead of filling `height` (notebook cells). */
  autoHeight?: boolean;
  /** No line numbers, folding or current-line highlight: for short snippets. */
  compact?: boolean;
  /** Key bindings that act only in this editor, e.g. Shift+Enter runs a cell. */
  commands?: readonly EditorCommand[];
  /** Put the keyboard focus in the editor when it has loaded. */
  autoFocus?: boolean;
  /** Changing this number moves the keyboard focus into the editor. */
  focusRequest?: number;
  onFocus?(): void;
  /** Shown while Monaco loads instead of the read-only plain editor. */
  loading?: ReactNode;
}

export type EditorKeys = 'Shift+Enter' | 'CtrlCmd+Enter' | 'Alt+Enter' | 'Escape';

export interface EditorCommand {
  keys: EditorKeys;
  /** Gets the editor's text as it is now (the `value` prop may not have caught up yet). */
  run(text: string): void;
  /** A Monaco context expression; the binding is active only while it holds. */
  when?: string;
}

const MonacoEditor = lazy(() => import('./MonacoEditor'));

function PlainEditor({ value, onChange, readOnly, height = '100%', ariaLabel, note }: EditorViewProps & { note?: string }) {
  return (
    <div className="plain-editor" style={{ height }}>
      {note ? <p className="plain-editor-note muted">{note}</p> : null}
      <textarea
        className="plain-editor-text mono"
        value={value}
        readOnly={readOnly || !onChange}
        spellCheck={false}
        aria-label={ariaLabel ?? 'Editor'}
        onChange={(e) => onChange?.(e.target.value)}
      />
    </div>
  );
}

class Fallback extends Component<{ props: EditorViewProps; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.error) {
      return <PlainEditor {...this.props.props} note={`The code editor could not load (${this.state.error}); editing as plain text.`} />;
    }
    return this.props.children;
  }
}

export function EditorView(props: EditorViewProps) {
  return (
    <Fallback props={props}>
      <Suspense fallback={props.loading ?? <PlainEditor {...props} readOnly note="Loading the editor…" />}>
        <MonacoEditor {...props} />
      </Suspense>
    </Fallback>
  );
}

/**
 * A read-only side-by-side diff (Monaco's diff editor, loaded on first use like EditorView).
 * Until it has loaded, or if it cannot load, both texts are shown side by side as plain text.
 */
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { EditorLanguage } from './languages';
import './editor.css';

export interface DiffViewProps {
  original: string;
  modified: string;
  language: EditorLanguage;
  height?: number | string;
  ariaLabel?: string;
  /** Called when Monaco has computed the diff. */
  onStats?(stats: { changes: number }): void;
}

const MonacoDiff = lazy(() => import('./MonacoDiff'));

function PlainDiff({ original, modified, height = '100%', note }: DiffViewProps & { note?: string }) {
  return (
    <div className="plain-diff" style={{ height }} data-testid="plain-diff">
      {note ? <p className="plain-editor-note muted">{note}</p> : null}
      <div className="plain-diff-panes">
        <pre className="plain-diff-pane mono selectable">{original}</pre>
        <pre className="plain-diff-pane mono selectable">{modified}</pre>
      </div>
    </div>
  );
}

class Fallback extends Component<{ props: DiffViewProps; children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.error) return <PlainDiff {...this.props.props} note={`The diff view could not load (${this.state.error}); showing both texts.`} />;
    return this.props.children;
  }
}

export function DiffView(props: DiffViewProps) {
  return (
    <Fallback props={props}>
      <Suspense fallback={<PlainDiff {...props} note="Loading the diff view…" />}>
        <MonacoDiff {...props} />
      </Suspense>
    </Fallback>
  );
}

/**
 * The Monaco side of DiffView (same lazy chunk as the editor): a read-only side-by-side diff of
 * two texts. Models are private to the view and disposed with it.
 */
import { useEffect, useRef } from 'react';
import { useTheme } from '../theme/ThemeProvider';
import type { DiffViewProps } from './DiffView';
import { monaco, setEditorTheme } from './monaco-setup';

let seq = 0;

export default function MonacoDiff({ original, modified, language, height = '100%', ariaLabel, onStats }: DiffViewProps) {
  const { resolved } = useTheme();
  const box = useRef<HTMLDivElement>(null);
  const diff = useRef<{ editor: monaco.editor.IStandaloneDiffEditor; left: monaco.editor.ITextModel; right: monaco.editor.ITextModel } | null>(null);
  const statsRef = useRef(onStats);
  statsRef.current = onStats;

  useEffect(() => {
    const id = ++seq;
    const editor = monaco.editor.createDiffEditor(box.current!, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      // Below ~900px wide Monaco switches to inline by itself; keep its default for narrow windows.
      useInlineViewWhenSpaceIsLimited: true,
      minimap: { enabled: false },
      fontSize: 12,
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      ariaLabel: ariaLabel ?? 'Diff',
    });
    const left = monaco.editor.createModel(original, language, monaco.Uri.parse(`inmemory://kfd-diff/${id}/original.yaml`));
    const right = monaco.editor.createModel(modified, language, monaco.Uri.parse(`inmemory://kfd-diff/${id}/modified.yaml`));
    editor.setModel({ original: left, modified: right });
    const sub = editor.onDidUpdateDiff(() => {
      const changes = editor.getLineChanges() ?? [];
      box.current?.setAttribute('data-changes', String(changes.length));
      statsRef.current?.({ changes: changes.length });
    });
    diff.current = { editor, left, right };
    return () => {
      sub.dispose();
      editor.dispose();
      left.dispose();
      right.dispose();
      diff.current = null;
    };
  }, []);

  useEffect(() => {
    const d = diff.current;
    if (!d) return;
    if (d.left.getValue() !== original) d.left.setValue(original);
    if (d.right.getValue() !== modified) d.right.setValue(modified);
  }, [original, modified]);

  useEffect(() => setEditorTheme(resolved), [resolved]);

  return <div ref={box} className="monaco-box" style={{ height }} data-testid="monaco-diff" />;
}

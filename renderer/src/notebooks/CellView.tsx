/**
 * One cell: the prompt with its execution count (or a spinner while it runs), the editor, its
 * outputs, and a small per-cell toolbar. Markdown cells show rendered until edited.
 */
import { memo, useState } from 'react';
import { ChevronDownIcon, ChevronUpIcon, Spinner } from '../components/Icons';
import { CellEditor, type RunMode } from './CellEditor';
import { MarkdownView } from './MarkdownView';
import { joinText, outputsOf, type CellType, type EditorCell } from './notebook-doc';
import type { RunState } from './notebook-state';
import { OutputArea } from './OutputArea';

export interface CellActions {
  select(key: string): void;
  edit(key: string, text: string): void;
  /** `text`: the cell's text if the editor has newer text than the notebook state. */
  run(key: string, mode: RunMode, text?: string): void;
  move(key: string, delta: -1 | 1): void;
  remove(key: string): void;
  setType(key: string, type: CellType): void;
  save(): void;
}

interface Props {
  item: EditorCell;
  index: number;
  selected: boolean;
  run: RunState | undefined;
  actions: CellActions;
  /** Notebook → job: this cell is one of the chosen ones (undefined = not choosing). */
  chosen?: boolean | undefined;
  onChoose?: ((key: string, chosen: boolean) => void) | undefined;
  /** Changes when the keyboard focus should move into this cell's editor. */
  focusRequest?: number | undefined;
  /** The notebook's identity (root + path): with the cell key it names the cell's editor model. */
  notebookId: string;
}

function prompt(run: RunState | undefined, count: unknown) {
  if (run === 'running') return <Spinner size={13} aria-label="Running" />;
  if (run === 'queued') return '[*]:';
  return `[${typeof count === 'number' ? count : ' '}]:`;
}

export const CellView = memo(function CellView({ item, index, selected, run, actions, chosen, onChoose, focusRequest, notebookId }: Props) {
  const { key, cell } = item;
  const text = joinText(cell.source);
  const [editing, setEditing] = useState(cell.cell_type !== 'markdown' || text === '');
  const isCode = cell.cell_type === 'code';
  const showEditor = isCode || editing || cell.cell_type === 'raw';

  function onRun(mode: RunMode, latest?: string): void {
    if (latest !== undefined && latest !== text) actions.edit(key, latest);
    if (cell.cell_type === 'markdown') setEditing(false);
    actions.run(key, mode, latest);
  }

  return (
    <section
      className={`nb-cell nb-cell-${cell.cell_type}${selected ? ' selected' : ''}${run ? ` ${run}` : ''}`}
      data-testid="nb-cell"
      data-cell-key={key}
      data-cell-type={cell.cell_type}
      data-run={run ?? 'idle'}
      data-execution-count={typeof cell.execution_count === 'number' ? cell.execution_count : ''}
      aria-label={`Cell ${index + 1} (${cell.cell_type})`}
      onMouseDown={() => actions.select(key)}
    >
      <div className="nb-cell-row">
        <div className="nb-prompt" data-testid="cell-prompt">
          {onChoose && isCode ? (
            <input type="checkbox" aria-label={`Include cell ${index + 1} in the job`} checked={Boolean(chosen)} onChange={(e) => onChoose(key, e.target.checked)} />
          ) : isCode ? (
            prompt(run, cell.execution_count)
          ) : null}
        </div>
        <div className="nb-cell-body">
          {showEditor ? (
            <CellEditor
              value={text}
              language={isCode ? 'python' : cell.cell_type === 'markdown' ? 'markdown' : 'plaintext'}
              onChange={(v) => actions.edit(key, v)}
              onRun={onRun}
              onFocus={() => actions.select(key)}
              autoFocus={selected && !isCode && editing && text === ''}
              focusRequest={focusRequest}
              onSave={actions.save}
              modelPath={`notebook-cell:${notebookId}#${key}`}
              ariaLabel={`Cell ${index + 1} ${isCode ? 'code' : cell.cell_type}`}
            />
          ) : (
            <div className="nb-markdown-cell" onDoubleClick={() => setEditing(true)} title="Double-click to edit">
              <MarkdownView text={text} />
            </div>
          )}
          {isCode ? <OutputArea outputs={outputsOf(cell)} executionCount={typeof cell.execution_count === 'number' ? cell.execution_count : null} /> : null}
        </div>
        <div className="nb-cell-tools" role="toolbar" aria-label={`Cell ${index + 1} actions`}>
          <button type="button" className="btn btn-small btn-icon" title="Run (Shift+Enter)" aria-label="Run cell" onClick={() => onRun('stay')}>
            ▶
          </button>
          {cell.cell_type === 'markdown' && !editing ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          <select
            className="input select nb-type"
            aria-label="Cell type"
            value={cell.cell_type}
            onChange={(e) => actions.setType(key, e.target.value as CellType)}
          >
            <option value="code">Code</option>
            <option value="markdown">Markdown</option>
            <option value="raw">Raw</option>
          </select>
          <button type="button" className="btn btn-small btn-icon" aria-label="Move cell up" onClick={() => actions.move(key, -1)}>
            <ChevronUpIcon size={12} />
          </button>
          <button type="button" className="btn btn-small btn-icon" aria-label="Move cell down" onClick={() => actions.move(key, 1)}>
            <ChevronDownIcon size={12} />
          </button>
          <button type="button" className="btn btn-small btn-icon" aria-label="Delete cell" onClick={() => actions.remove(key)}>
            ✕
          </button>
        </div>
      </div>
    </section>
  );
});

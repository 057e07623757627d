/**
 * The active file: why it is read-only, whether it changed on disk, the editor itself, and for
 * trainjob.yaml (and experiment.yaml) the engine's problems (the messages `jobs.run` / `kfd tune`
 * give), each a jump to its line.
 */
import { useMemo } from 'react';
import type { SpecIssue } from '../../../engine/api/contract';
import { formatBytes } from '../components/format-bytes';
import { Spinner, WarningIcon } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { EditorView } from '../editor/EditorView';
import { revealInEditor } from '../editor/editor-bridge';
import { isTrainJobPath, languageForPath } from '../editor/languages';
import { issueMarkers, type EditorMarker } from '../editor/markers';
import { useExperimentFileCheck } from '../experiments/use-experiment-check';
import type { SessionState } from './session-state';
import { activeTab, type Tab } from './tabs';
import type { WorkspaceSession } from './workspace-session';

export function EditorPane({ session, state }: { session: WorkspaceSession; state: SessionState }) {
  const tab = activeTab(state.tabs);
  const trainJob = tab ? isTrainJobPath(tab.path) : false;
  const experimentCheck = useExperimentFileCheck(tab?.path, tab?.loading ? undefined : tab?.text);
  const validation = trainJob && tab && state.validation?.text === tab.text ? state.validation : experimentCheck;
  const markers = useMemo<EditorMarker[]>(() => {
    if (!validation || !tab) return [];
    const lines = tab.text.split('\n');
    return issueMarkers(validation, (n) => lines[n - 1] ?? '');
  }, [validation, tab?.text]);

  if (!tab) {
    return (
      <div className="ws-editor-empty muted">
        <p>Open a file from the tree on the left.</p>
        <p>
          <kbd>Ctrl</kbd>+<kbd>S</kbd> saves; <strong>Run</strong> saves every file first.
        </p>
      </div>
    );
  }

  return (
    <div className="ws-editor" data-testid="editor-pane" data-path={tab.path}>
      <TabBanners session={session} tab={tab} />
      {tab.loading ? (
        <p className="ws-editor-loading muted">
          <Spinner size={13} /> Opening {tab.path}…
        </p>
      ) : tab.error ? (
        <div className="ws-banner">
          <InlineError prefix={`Could not open ${tab.path}`} message={tab.error} />
        </div>
      ) : tab.readOnlyReason === 'binary' ? (
        <div className="ws-editor-empty muted" data-testid="binary-file">
          <p>
            <strong>{tab.path}</strong> is a binary file ({formatBytes(tab.size)}); it is not shown.
          </p>
        </div>
      ) : (
        <div className="ws-editor-box">
          <EditorView
            key={tab.path}
            path={session.absPath(tab.path)}
            value={tab.text}
            language={languageForPath(tab.path)}
            readOnly={tab.readOnly}
            markers={markers}
            onChange={(text) => session.edit(tab.path, text)}
            onSave={() => void session.save(tab.path)}
            ariaLabel={`Editing ${tab.path}`}
          />
        </div>
      )}
      {validation && (validation.errors.length > 0 || validation.warnings.length > 0) ? (
        <Problems name={tab.path} path={session.absPath(tab.path)} errors={validation.errors} warnings={validation.warnings} />
      ) : null}
    </div>
  );
}

function TabBanners({ session, tab }: { session: WorkspaceSession; tab: Tab }) {
  if (tab.readOnlyReason === 'large') {
    return (
      <p className="ws-banner ws-banner-info" role="status">
        {tab.path} is {formatBytes(tab.size)}: opened read-only{tab.truncated ? ', showing its first 2 MiB' : ''}.
      </p>
    );
  }
  if (tab.disk === 'changed') {
    return (
      <div className="ws-banner ws-banner-warn" role="alert">
        <WarningIcon size={14} />
        <span>{tab.path} changed on disk, and you have unsaved changes.</span>
        <button type="button" className="btn btn-small" onClick={() => void session.reload(tab.path)}>
          Reload from disk
        </button>
        <button type="button" className="btn btn-small" onClick={() => void session.save(tab.path, true)}>
          Keep mine (overwrite)
        </button>
      </div>
    );
  }
  if (tab.disk === 'deleted') {
    return (
      <div className="ws-banner ws-banner-warn" role="alert">
        <WarningIcon size={14} />
        <span>{tab.path} was deleted on disk. Save to create it again, or close the tab.</span>
      </div>
    );
  }
  return null;
}

function Problems({ name, path, errors, warnings }: { name: string; path: string; errors: readonly SpecIssue[]; warnings: readonly SpecIssue[] }) {
  const items = [...errors.map((i) => ({ ...i, severity: 'error' as const })), ...warnings.map((i) => ({ ...i, severity: 'warning' as const }))];
  return (
    <section className="ws-problems" aria-label={`Problems in ${name}`} data-testid="problems">
      <h3>
        {errors.length > 0 ? `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}` : 'No errors'}
        {warnings.length > 0 ? `, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}` : ''}
      </h3>
      <ul>
        {items.map((p, i) => (
          <li key={i} className={`ws-problem ws-problem-${p.severity}`} data-severity={p.severity}>
            <button type="button" className="ws-problem-btn" onClick={() => revealInEditor({ path, line: p.line, column: p.column })}>
              <span className="ws-problem-where mono">{p.line > 0 ? `${p.line}:${p.column}` : '—'}</span>
              <span className="ws-problem-text">{p.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

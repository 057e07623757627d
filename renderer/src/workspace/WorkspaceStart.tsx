/**
 * No workspace open: open a folder (typed, or chosen with Browse…: the desktop app's folder
 * dialog, or the in-app folder browser in web mode), reopen a recent one, or start from a template.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { RecentWorkspace, TemplateInfo } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { CopyButton } from '../components/CopyButton';
import { FolderOpenIcon } from '../components/Icons';
import { InlineError, MessageText } from '../components/MessageText';
import { useFolderPicker } from '../folders/use-folder-picker';
import { newFolderPath, parentDir, pathProblem } from './folder-paths';
import { CloseIcon, FolderIcon } from './workspace-icons';

const INIT_COMMAND = 'kfd init --template pytorch-ddp <folder>';

export function WorkspaceStart({ onOpen }: { onOpen(root: string): void }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const folders = useFolderPicker();
  const [recent, setRecent] = useState<RecentWorkspace[]>([]);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    Promise.all([api.call('workspace.recent', {}), api.call('workspace.templates', {})])
      .then(([r, t]) => alive && (setRecent(r), setTemplates(t), setLoadError(null)))
      .catch((err: unknown) => alive && setLoadError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api, generation]);

  async function open(path: string): Promise<string | null> {
    try {
      const info = await api.call('workspace.open', { path: path.trim() });
      onOpen(info.root);
      return null;
    } catch (err) {
      return errorText(err);
    }
  }

  return (
    <div className="page ws-start" data-testid="page-workspace">
      {loadError ? <InlineError prefix="Could not load recent workspaces and templates" message={loadError} /> : null}
      <div className="ws-start-grid">
        <section className="panel ws-start-panel" aria-labelledby="open-heading">
          <h2 id="open-heading">Open a folder</h2>
          <OpenFolder onOpen={open} pickFolder={(start) => folders.pick({ title: 'Open a folder', action: 'Open', start })} />
          <h2 className="ws-start-sub">Recent</h2>
          {recent.length === 0 ? <p className="muted">Workspaces you open appear here.</p> : null}
          <ul className="ws-recent" aria-label="Recent workspaces">
            {recent.map((r) => (
              <li key={r.path} className={r.exists ? '' : 'missing'}>
                <button type="button" className="ws-recent-open" disabled={!r.exists} onClick={() => void open(r.path)} title={r.exists ? r.path : `${r.path} no longer exists`}>
                  <FolderIcon size={14} />
                  <span className="ws-recent-name">{r.name}</span>
                  <span className="ws-recent-path mono muted">{r.exists ? r.path : `${r.path} (missing)`}</span>
                </button>
                <button type="button" className="btn btn-small btn-icon" aria-label={`Remove ${r.name} from the list`} onClick={() => void api.call('workspace.forget', { path: r.path }).then(setRecent)}>
                  <CloseIcon size={12} />
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel ws-start-panel" aria-labelledby="new-heading">
          <h2 id="new-heading">New from a template</h2>
          <NewFromTemplate templates={templates} defaultParent={recent[0] ? parentDir(recent[0].path) : ''} pickFolder={(start) => folders.pick({ title: 'Create the workspace in', start })} onCreated={onOpen} />
          <p className="muted ws-start-cli">Or from a terminal:</p>
          <div className="command">
            <code>{INIT_COMMAND}</code>
            <CopyButton text={INIT_COMMAND} />
          </div>
        </section>
      </div>
      {folders.dialog}
    </div>
  );
}

function OpenFolder({ onOpen, pickFolder }: { onOpen(path: string): Promise<string | null>; pickFolder(start: string): Promise<string | null> }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e?: FormEvent, picked?: string): Promise<void> {
    e?.preventDefault();
    const target = picked ?? path;
    const problem = pathProblem(target);
    setError(problem);
    if (problem) return;
    setBusy(true);
    setError(await onOpen(target));
    setBusy(false);
  }

  return (
    <form className="ws-start-form" onSubmit={(e) => void submit(e)} noValidate>
      <label className="field-label" htmlFor="open-path">
        Folder with your code and its <code>trainjob.yaml</code>
      </label>
      <div className="field-row">
        <input id="open-path" className="input mono" placeholder="/home/you/experiments/mnist" value={path} aria-invalid={error !== null} onChange={(e) => setPath(e.target.value)} />
        <button type="button" className="btn" onClick={async () => {
          const picked = await pickFolder(path.trim()).catch(() => null);
          if (picked) {
            setPath(picked);
            await submit(undefined, picked);
          }
        }}>
          <FolderOpenIcon size={14} /> Browse…
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Open
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          <MessageText text={error} />
        </p>
      ) : null}
    </form>
  );
}

/** The README's opening sentence: enough to choose by; the whole paragraph is the tooltip. */
function firstSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+(?=[A-Z`])/)[0] ?? text;
}

function NewFromTemplate(props: { templates: TemplateInfo[]; defaultParent: string; pickFolder(start: string): Promise<string | null>; onCreated(root: string): void }) {
  const api = useApi();
  const [template, setTemplate] = useState('pytorch-ddp');
  const [parent, setParent] = useState<string | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parentValue = parent ?? props.defaultParent;
  const nameValue = name ?? template;

  async function create(e: FormEvent): Promise<void> {
    e.preventDefault();
    const target = newFolderPath(parentValue, nameValue);
    if ('problem' in target) {
      setError(target.problem);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const result = await api.call('workspace.create', { template, dir: target.dir });
      props.onCreated(result.workspace.root);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="ws-start-form" onSubmit={(e) => void create(e)} noValidate>
      <div className="ws-templates" role="radiogroup" aria-label="Template">
        {props.templates.map((t) => (
          <label key={t.id} className={`ws-template${template === t.id ? ' selected' : ''}`} title={t.description}>
            <input type="radio" name="template" value={t.id} checked={template === t.id} onChange={() => setTemplate(t.id)} />
            <span className="ws-template-title mono">{t.title}</span>
            <span className="ws-template-text muted">
              <MessageText text={firstSentence(t.description)} />
            </span>
          </label>
        ))}
      </div>
      <label className="field-label" htmlFor="new-parent">
        Create in
      </label>
      <div className="field-row">
        <input id="new-parent" className="input mono" placeholder="/home/you/experiments" value={parentValue} onChange={(e) => setParent(e.target.value)} />
        <button type="button" className="btn" onClick={async () => {
          const picked = await props.pickFolder(parentValue.trim()).catch(() => null);
          if (picked) setParent(picked);
        }}>
          <FolderOpenIcon size={14} /> Browse…
        </button>
      </div>
      <label className="field-label" htmlFor="new-name">
        Folder name
      </label>
      <div className="field-row">
        <input id="new-name" className="input mono" value={nameValue} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Create
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          <MessageText text={error} />
        </p>
      ) : null}
    </form>
  );
}

/**
 * Start a run from a workspace's pipeline file: pick a recent workspace, one of its .yaml/.py files
 * (or type a path), and fill the form generated from root.inputDefinitions.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { BackendId, MethodOutput, RecentWorkspace } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { navigate } from '../use-hash-route';
import { defaultText } from './pipeline-view';

type Inspected = MethodOutput<'pipelines.inspect'>;
const PIPELINE_FILE = /\.(ya?ml|py)$/;

export function RunStarter() {
  const api = useApi();
  const [recent, setRecent] = useState<RecentWorkspace[]>([]);
  const [root, setRoot] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const [file, setFile] = useState('');
  const [info, setInfo] = useState<Inspected | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [backend, setBackend] = useState<BackendId>('local-process');
  const [cache, setCache] = useState(true);
  const [busy, setBusy] = useState<'inspect' | 'run' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);

  useEffect(() => {
    api.call('workspace.recent', {}).then((list) => {
      const existing = list.filter((w) => w.exists);
      setRecent(existing);
      if (existing[0]) setRoot(existing[0].path);
    }, () => undefined);
  }, [api]);
  useEffect(() => {
    if (!root) return;
    let alive = true;
    api
      .call('workspace.open', { path: root })
      .then((w) => api.call('workspace.tree', { root: w.root }))
      .then((t) => alive && setFiles(t.entries.filter((e) => e.kind === 'file' && PIPELINE_FILE.test(e.path) && !e.path.endsWith('trainjob.yaml')).map((e) => e.path)))
      .catch(() => alive && setFiles([]));
    return () => {
      alive = false;
    };
  }, [api, root]);

  // While a .py compiles (the first time also installing kfp), the engine says what it is doing.
  useEffect(() => (busy ? api.on('pipelines.progress', (p) => setProgress(p.message)) : setProgress(null)), [api, busy]);

  async function inspect(path: string) {
    setFile(path);
    setInfo(null);
    setError(null);
    if (!path) return;
    setBusy('inspect');
    try {
      const r = await api.call('pipelines.inspect', { path });
      setInfo(r);
      setValues(Object.fromEntries(r.parameters.map((p) => [p.name, defaultText(p.defaultValue)])));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!info) return;
    setBusy('run');
    setError(null);
    try {
      const parameters = Object.fromEntries(info.parameters.filter((p) => values[p.name] !== '' || !p.optional).map((p) => [p.name, values[p.name] ?? '']));
      const run = await api.call('pipelines.run', { path: info.file, parameters, backend, enableCache: cache });
      navigate('pipelines', 'runs', run.id);
    } catch (err) {
      setError(errorText(err));
      setBusy(null);
    }
  }

  const abs = (p: string) => (p.startsWith('/') ? p : `${root.replace(/\/$/, '')}/${p}`);
  return (
    <section className="panel pl-starter" aria-label="Start a pipeline run">
      <h2>Start a run</h2>
      <div className="field-row">
        <label className="pl-field">
          <span>Workspace</span>
          <select className="input" value={root} onChange={(e) => setRoot(e.target.value)} data-testid="starter-workspace">
            {recent.length ? null : <option value="">No recent workspace</option>}
            {recent.map((w) => <option key={w.path} value={w.path}>{w.name} — {w.path}</option>)}
          </select>
        </label>
        <label className="pl-field">
          <span>Pipeline file</span>
          <select className="input" value={files.includes(file) ? file : ''} onChange={(e) => void inspect(e.target.value ? abs(e.target.value) : '')} data-testid="starter-file">
            <option value="">{files.length ? 'Choose a .yaml or .py…' : 'No pipeline files here'}</option>
            {files.map((f) => <option key={f} value={abs(f)}>{f}</option>)}
          </select>
        </label>
      </div>
      <form className="field-row" onSubmit={(e) => { e.preventDefault(); void inspect(file); }}>
        <label className="pl-field pl-grow">
          <span>…or a path</span>
          <input className="input mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/pipeline.yaml" data-testid="starter-path" />
        </label>
        <button type="submit" className="btn" disabled={!file || busy !== null}>{busy === 'inspect' ? <Spinner size={13} /> : null} Load</button>
      </form>
      {busy === 'inspect' && file.endsWith('.py') ? <p className="muted" role="status">Compiling with kfp…{progress ? ` ${progress}` : ''}</p> : null}
      {error ? <InlineError prefix="Cannot start" message={error} /> : null}
      {info ? (
        <form onSubmit={(e) => void submit(e)} data-testid="parameter-form">
          <p><b>{info.name}</b>{info.description ? ` — ${info.description}` : ''} <span className="muted">({info.tasks} top-level tasks)</span></p>
          {info.warnings.map((w) => <p key={w} className="field-note">{w}</p>)}
          <div className="pl-form-grid">
            {info.parameters.map((p) => (
              <label key={p.name} className="pl-field">
                <span>{p.name} <span className="muted">{p.type}{p.optional ? '' : ', required'}</span></span>
                {p.type === 'BOOLEAN' ? (
                  <select className="input" value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} data-param={p.name}>
                    <option value="true">true</option>
                    <option value="false">false</option>
                  </select>
                ) : (
                  <input
                    className="input mono"
                    value={values[p.name] ?? ''}
                    inputMode={p.type.startsWith('NUMBER') ? 'decimal' : undefined}
                    required={!p.optional}
                    onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
                    data-param={p.name}
                  />
                )}
                {p.description ? <span className="field-help">{p.description}</span> : null}
              </label>
            ))}
          </div>
          <div className="field-row">
            <label className="pl-field">
              <span>Run on</span>
              <select className="input" value={backend} onChange={(e) => setBackend(e.target.value as BackendId)}>
                <option value="local-process">Local processes</option>
                <option value="container">Containers</option>
                <option value="kubernetes">Kubernetes (current context)</option>
              </select>
            </label>
            <label className="pl-check"><input type="checkbox" checked={cache} onChange={(e) => setCache(e.target.checked)} /> Use cached results</label>
            <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="start-run">{busy === 'run' ? <Spinner size={13} /> : null} Start run</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

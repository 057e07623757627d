/**
 * "Tune…" (`#/experiments/tune/<workspace>`): a Katib Experiment around the workspace's
 * trainjob.yaml. The form (objective, algorithm, trial counts, search space) drafts the YAML
 * through the engine (`experiments.draft`); the YAML is shown in Monaco with the Experiment
 * schema (hovers, completion) and checked as typed (`experiments.validate`, the messages `kfd
 * tune` gives). Save writes experiment.yaml into the workspace; Run also starts it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodInput, SpecIssue } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { setYamlSchemas } from '../editor/editor-bridge';
import { EditorView } from '../editor/EditorView';
import { issueMarkers } from '../editor/markers';
import { useDebounced } from '../jobs/use-now';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { ALGORITHMS, draftInput, emptyParam, type TuneForm, type TuneParam } from './tune-form';

export function TuneView({ workspace }: { workspace: string }) {
  const api = useApi();
  const [form, setForm] = useState<TuneForm>(() => ({
    objectiveMetric: 'accuracy',
    objectiveType: 'maximize',
    goal: '',
    algorithm: 'random',
    randomState: '42',
    maxTrialCount: 12,
    parallelTrialCount: 2,
    pass: 'args',
    parameters: [emptyParam('learning-rate', 'double', '0.0001', '1', true), emptyParam('alpha', 'double', '0.000001', '0.1', true)],
  }));
  const [yaml, setYaml] = useState('');
  const [handEdited, setHandEdited] = useState(false);
  const [issues, setIssues] = useState<{ errors: SpecIssue[]; warnings: SpecIssue[] }>({ errors: [], warnings: [] });
  const [busy, setBusy] = useState<'saving' | 'running' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const path = `${workspace.replace(/\/$/, '')}/experiment.yaml`;

  useEffect(() => {
    let alive = true;
    api
      .call('experiments.jsonSchema', {})
      .then((schema) => alive && setYamlSchemas([{ fileMatch: ['**/experiment.yaml', '**/experiment.yml'], uri: 'kfd://schemas/experiment.json', schema }]))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);

  // The form drafts the YAML (replacing hand edits only when the form itself changes).
  const input = useMemo(() => draftInput(workspace, form), [workspace, form]);
  const settledInput = useDebounced(input, 250);
  const firstDraft = useRef(true);
  useEffect(() => {
    if (!settledInput.ok) return;
    let alive = true;
    api
      .call('experiments.draft', settledInput.input as MethodInput<'experiments.draft'>)
      .then((r) => {
        if (!alive) return;
        setYaml(r.yaml);
        setHandEdited(false);
        setIssues({ errors: r.errors, warnings: r.warnings });
        setError(null);
        firstDraft.current = false;
      })
      .catch((err: unknown) => alive && setError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api, settledInput]);

  // Hand edits are checked as typed, with the engine's messages.
  const settledYaml = useDebounced(yaml, 300);
  useEffect(() => {
    if (!handEdited) return;
    let alive = true;
    api
      .call('experiments.validate', { text: settledYaml })
      .then((r) => alive && setIssues({ errors: r.errors, warnings: r.warnings }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, settledYaml, handEdited]);

  const lines = yaml.split('\n');
  const markers = issueMarkers(issues, (n) => lines[n - 1] ?? '');
  const update = (patch: Partial<TuneForm>) => setForm((f) => ({ ...f, ...patch }));
  const setParam = (i: number, patch: Partial<TuneParam>) => setForm((f) => ({ ...f, parameters: f.parameters.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));

  const save = async (run: boolean) => {
    setBusy(run ? 'running' : 'saving');
    setError(null);
    try {
      await api.call('workspace.open', { path: workspace }); // file writes are confined to an opened workspace
      await api.call('workspace.write', { root: workspace, path: 'experiment.yaml', text: yaml, etag: null, force: true });
      setSaved(path);
      if (run) {
        const e = await api.call('experiments.create', { path });
        navigate('experiments', e.id);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page page-wide tune-page" data-testid="tune-view">
      <div className="job-header">
        <a className="back-link" href={routeHref('workspace')}>
          <BackIcon size={13} /> Workspace
        </a>
        <h1 className="job-title">Tune {workspace.split('/').filter(Boolean).pop()}</h1>
        <p className="muted">
          A Katib Experiment around <span className="mono">trainjob.yaml</span>: each trial is that TrainJob with the parameters below, passed{' '}
          {form.pass === 'args' ? <>as <span className="mono">--name=value</span> arguments</> : <>as environment variables</>}. The script prints the objective
          as <span className="mono">{form.objectiveMetric || 'metric'}=value</span>.
        </p>
      </div>
      <div className="tune-layout">
        <form className="tune-form" onSubmit={(e) => e.preventDefault()} aria-label="Search space">
          <fieldset>
            <legend>Objective</legend>
            <div className="tune-grid">
              <label>
                Metric
                <input className="input" value={form.objectiveMetric} onChange={(e) => update({ objectiveMetric: e.target.value })} data-testid="tune-metric" />
              </label>
              <label>
                Direction
                <select className="input" value={form.objectiveType} onChange={(e) => update({ objectiveType: e.target.value as TuneForm['objectiveType'] })}>
                  <option value="maximize">maximize</option>
                  <option value="minimize">minimize</option>
                </select>
              </label>
              <label>
                Goal (optional)
                <input className="input" inputMode="decimal" value={form.goal} onChange={(e) => update({ goal: e.target.value })} placeholder="stop when reached" />
              </label>
            </div>
          </fieldset>
          <fieldset>
            <legend>Search</legend>
            <div className="tune-grid">
              <label>
                Algorithm
                <select className="input" value={form.algorithm} onChange={(e) => update({ algorithm: e.target.value })} data-testid="tune-algorithm">
                  {ALGORITHMS.map((a) => (
                    <option key={a.id} value={a.id}>{a.label}</option>
                  ))}
                </select>
              </label>
              <label>
                random_state
                <input className="input" inputMode="numeric" value={form.randomState} onChange={(e) => update({ randomState: e.target.value })} />
              </label>
              <label>
                Trials
                <input className="input" type="number" min={1} value={form.maxTrialCount} onChange={(e) => update({ maxTrialCount: Number(e.target.value) })} data-testid="tune-trials" />
              </label>
              <label>
                At a time
                <input className="input" type="number" min={1} value={form.parallelTrialCount} onChange={(e) => update({ parallelTrialCount: Number(e.target.value) })} />
              </label>
              <label>
                Pass values as
                <select className="input" value={form.pass} onChange={(e) => update({ pass: e.target.value as TuneForm['pass'] })}>
                  <option value="args">--name=value arguments</option>
                  <option value="env">environment variables</option>
                </select>
              </label>
            </div>
          </fieldset>
          <fieldset>
            <legend>Parameters</legend>
            {form.parameters.map((p, i) => (
              <div className="tune-param" key={i} data-testid="tune-param">
                <label>
                  Name
                  <input className="input mono" value={p.name} onChange={(e) => setParam(i, { name: e.target.value })} aria-label={`Parameter ${i + 1} name`} />
                </label>
                <label>
                  Type
                  <select className="input" value={p.type} onChange={(e) => setParam(i, { type: e.target.value as TuneParam['type'] })} aria-label={`Parameter ${i + 1} type`}>
                    <option value="double">double</option>
                    <option value="int">int</option>
                    <option value="discrete">discrete</option>
                    <option value="categorical">categorical</option>
                  </select>
                </label>
                {p.type === 'double' || p.type === 'int' ? (
                  <>
                    <label>
                      Min
                      <input className="input mono" value={p.min} onChange={(e) => setParam(i, { min: e.target.value })} aria-label={`${p.name} min`} />
                    </label>
                    <label>
                      Max
                      <input className="input mono" value={p.max} onChange={(e) => setParam(i, { max: e.target.value })} aria-label={`${p.name} max`} />
                    </label>
                    <label title="log-uniform: as likely to try 0.001–0.01 as 0.01–0.1">
                      Log
                      <input type="checkbox" checked={p.log} onChange={(e) => setParam(i, { log: e.target.checked })} aria-label={`${p.name} on a log scale`} />
                    </label>
                  </>
                ) : (
                  <label className="tune-list">
                    Values (comma separated)
                    <input className="input mono" value={p.list} onChange={(e) => setParam(i, { list: e.target.value })} aria-label={`${p.name} values`} />
                  </label>
                )}
                <button type="button" className="btn btn-small" onClick={() => setForm((f) => ({ ...f, parameters: f.parameters.filter((_, j) => j !== i) }))} disabled={form.parameters.length <= 1} aria-label={`Remove ${p.name}`}>
                  ✕
                </button>
              </div>
            ))}
            <button type="button" className="btn btn-small" onClick={() => setForm((f) => ({ ...f, parameters: [...f.parameters, emptyParam(`param${f.parameters.length + 1}`, 'double', '0', '1', false)] }))}>
              Add parameter
            </button>
          </fieldset>
          {!input.ok ? <p className="field-error" role="alert">{input.problem}</p> : null}
        </form>
        <div>
          {handEdited ? <p className="muted small">Edited by hand: changing the form drafts the file again.</p> : null}
          <div className="tune-editor">
            <EditorView
              value={yaml}
              language="yaml"
              path={path}
              height={520}
              markers={markers}
              ariaLabel="experiment.yaml"
              onChange={(v) => {
                setYaml(v);
                setHandEdited(true);
              }}
              onSave={() => void save(false)}
            />
          </div>
          <ul className="tune-issues" data-testid="tune-issues">
            {issues.errors.map((i) => <li key={`e${i.line}:${i.path}:${i.message}`} className="error">{i.message}</li>)}
            {issues.warnings.map((i) => <li key={`w${i.line}:${i.path}:${i.message}`} className="warning">{i.message}</li>)}
          </ul>
          {error ? <InlineError prefix="Could not save or start" message={error} /> : null}
          <div className="tune-actions">
            <button type="button" className="btn" onClick={() => void save(false)} disabled={busy !== null || !yaml} data-testid="tune-save">
              {busy === 'saving' ? <Spinner size={13} /> : null} Save experiment.yaml
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void save(true)} disabled={busy !== null || !yaml || issues.errors.length > 0} data-testid="tune-run">
              {busy === 'running' ? <Spinner size={13} /> : null} Save and run
            </button>
            {saved ? <span className="muted small">Saved {saved}</span> : null}
          </div>
        </div>
      </div>
    </div>
  );
}

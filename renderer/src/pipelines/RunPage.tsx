/** One run (`#/pipelines/runs/<id>`): header and actions, the live DAG, the selected task. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PipelineRunDetail } from '../../../engine/api/contract';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { BackIcon, RerunIcon, Spinner, StopIcon } from '../components/Icons';
import { CopyButton } from '../components/CopyButton';
import { InlineError } from '../components/MessageText';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { isFinalRun } from './pipeline-view';
import { PipelineStatusBadge } from './PipelineStatusBadge';
import { RunGraph } from './RunGraph';
import { TaskPanel } from './TaskPanel';

export function RunPage({ id, task }: { id: string; task?: string | undefined }) {
  const api = useApi();
  const { generation } = useEngineStatus();
  const [run, setRun] = useState<PipelineRunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ runId: string; runUrl: string } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const selected = task ?? null;

  const load = useCallback(async () => {
    try {
      setRun(await api.call('pipelines.get', { id }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load, generation]);
  // Task states live: every change of the run (or of one of its task jobs) re-reads it, coalesced.
  useEffect(() => {
    const soon = () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        void load();
      }, 250);
    };
    const offRun = api.on('pipelines.changed', (s) => s.id === id && soon());
    const offJobs = api.on('jobs.changed', (j) => j.owner?.kind === 'pipeline-run' && j.owner.id === id && soon());
    return () => {
      offRun();
      offJobs();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [api, id, load]);

  // Events drive the page; a slow re-read while the run is unfinished covers a dropped event stream.
  const unfinished = run ? !isFinalRun(run.status) : false;
  useEffect(() => {
    if (!unfinished) return;
    const every = setInterval(() => void load(), 3000);
    return () => clearInterval(every);
  }, [unfinished, load]);

  const select = (p: string) => navigate('pipelines', 'runs', id, p);
  async function act(what: 'cancel' | 'rerun') {
    setBusy(true);
    try {
      if (what === 'cancel') await api.call('pipelines.cancel', { id });
      else navigate('pipelines', 'runs', (await api.call('pipelines.rerun', { id })).id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function handOff() {
    setBusy(true);
    setError(null);
    try {
      setSent(await api.call('pipelines.remote.submit', { runId: id }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const back = <a className="back-link" href={routeHref('pipelines')}><BackIcon size={13} /> All runs</a>;
  if (!run) {
    return (
      <div className="page page-wide" data-testid="page-pipeline-run">
        {back}
        {error ? <InlineError prefix={`Could not open run ${id}`} message={error} /> : <p className="muted"><Spinner /> Loading run…</p>}
      </div>
    );
  }
  const current = selected ? run.tasks.find((t) => t.path === selected) : undefined;
  return (
    <div className="page page-wide pl-run" data-testid="page-pipeline-run" data-run-id={run.id} data-status={run.status}>
      {back}
      <header className="job-header">
        <div className="job-title-row">
          <h2 className="job-title">{run.name}</h2>
          <PipelineStatusBadge status={run.status === 'Pending' ? 'Pending' : run.status} />
          <div className="job-actions">
            {!isFinalRun(run.status) ? (
              <button type="button" className="btn" disabled={busy} onClick={() => void act('cancel')}><StopIcon size={13} /> Cancel</button>
            ) : null}
            <button type="button" className="btn" disabled={busy} onClick={() => void act('rerun')} title="Run again; tasks that succeeded are reused from this run">
              <RerunIcon size={13} /> Re-run
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void handOff()} title="Upload this pipeline to the Kubeflow Pipelines set in Settings and start a run there with these parameters" data-testid="send-to-kfp">
              Send to Kubeflow Pipelines
            </button>
          </div>
        </div>
        <p className="muted">
          <span className="mono">{run.id}</span> · {run.backend} · {run.file}
          {run.rerunOf ? <> · re-run of <a href={routeHref('pipelines', 'runs', run.rerunOf)}>{run.rerunOf}</a></> : null}
        </p>
        {run.message ? <p data-testid="run-message" className={run.status === 'Failed' ? 'pl-run-error' : ''}>{run.message}</p> : null}
        {Object.keys(run.parameters).length ? (
          <p className="pl-params">{Object.entries(run.parameters).map(([k, v]) => <span key={k} className="pl-chip"><b>{k}</b> = {typeof v === 'string' ? v : JSON.stringify(v)}</span>)}</p>
        ) : null}
      </header>
      {error ? <InlineError prefix="Action failed" message={error} /> : null}
      {sent ? (
        <p role="status" data-testid="kfp-sent">
          Started on Kubeflow Pipelines as run <span className="mono">{sent.runId}</span>: <span className="mono">{sent.runUrl}</span> <CopyButton text={sent.runUrl} label="Copy link" />
        </p>
      ) : null}
      <div className="pl-run-body">
        <RunGraph tasks={run.tasks} selected={selected} onSelect={select} />
        {current ? <TaskPanel key={current.path} runId={run.id} task={current} /> : <p className="muted pl-hint">Select a task to see its inputs, outputs, artifacts and logs.</p>}
      </div>
    </div>
  );
}

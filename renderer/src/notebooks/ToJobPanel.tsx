/**
 * Notebook → job: the notebook (or the chosen code cells) becomes `<name>.py` + a TrainJob
 * beside it, started on the chosen backend — the same run targets as the workspace's run
 * toolbar (`workspace.targets`), with the reason a target cannot be used now; the job's page is
 * one click away.
 */
import { useEffect, useState } from 'react';
import type { BackendId, MethodOutput, RunTarget } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { jobHref } from '../routes';

interface Props {
  root: string;
  path: string;
  /** Indices of the chosen cells; empty = all code cells. */
  chosen: number[];
  /** Saves pending edits first: the job is made from the file on disk. */
  saveFirst(): Promise<boolean>;
  onClose(): void;
}

export function ToJobPanel({ root, path, chosen, saveFirst, onClose }: Props) {
  const api = useApi();
  const [targetId, setTargetId] = useState('local-process');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<MethodOutput<'notebooks.toJob'> | null>(null);
  const [targets, setTargets] = useState<RunTarget[]>([]);

  useEffect(() => {
    let alive = true;
    api
      .call('workspace.targets', {})
      .then((t) => alive && setTargets(t))
      .catch((err: unknown) => alive && setError(errorText(err)));
    return () => {
      alive = false;
    };
  }, [api]);
  const target = targets.find((t) => t.id === targetId);
  const backend: BackendId = target?.backend ?? 'local-process';

  async function create(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      if (!(await saveFirst())) throw new Error('Save the notebook first (see the message above).');
      setMade(await api.call('notebooks.toJob', { root, path, backend, ...(chosen.length ? { cells: chosen } : {}) }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel nb-tojob" aria-label="Make a job" data-testid="tojob-panel">
      <h2>Run as a job</h2>
      <p className="muted">
        Writes the {chosen.length ? `${chosen.length} chosen code cell${chosen.length > 1 ? 's' : ''}` : 'code cells'} to a script beside the notebook
        (magics commented out) and a <code>trainjob.yaml</code> that runs it, then starts it. Tick cells on the left to choose some.
      </p>
      <div className="field-row">
        <label htmlFor="tojob-backend">Backend</label>
        <select id="tojob-backend" className="input select" value={targetId} onChange={(e) => setTargetId(e.target.value)}>
          {(targets.length ? targets : [{ id: 'local-process', backend: 'local-process' as const, label: 'Local processes', available: true, reason: null }]).map((t) => (
            <option key={t.id} value={t.id} disabled={!t.available}>
              {t.label}
              {t.available ? '' : ' (not available)'}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-primary" disabled={busy || target?.available === false} onClick={() => void create()}>
          {busy ? 'Starting…' : 'Create job and run'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {targets.some((t) => !t.available) ? (
        <ul className="muted nb-tojob-unavailable">
          {targets
            .filter((t) => !t.available)
            .map((t) => (
              <li key={t.id}>
                {t.label}: {t.reason}
              </li>
            ))}
        </ul>
      ) : null}
      {error ? <p className="field-error pre-wrap">{error}</p> : null}
      {made ? (
        <p className="field-ok" data-testid="tojob-result">
          Wrote <code>{made.script}</code> and <code>{made.jobFile}</code>; job <strong>{made.job.name}</strong> is {made.job.status.toLowerCase()}.{' '}
          <a href={jobHref(made.job.id)}>Open the job</a>
        </p>
      ) : null}
    </section>
  );
}

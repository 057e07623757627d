/**
 * Notebook → job: the notebook (or the chosen code cells) becomes `<name>.py` + a TrainJob
 * beside it, started on the chosen backend; the job's page is one click away.
 */
import { useState } from 'react';
import type { BackendId, MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { jobHref } from '../routes';

const BACKENDS: { id: BackendId; label: string }[] = [
  { id: 'local-process', label: 'Local processes' },
  { id: 'container', label: 'Containers' },
  { id: 'kubernetes', label: 'Kubernetes' },
];

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
  const [backend, setBackend] = useState<BackendId>('local-process');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<MethodOutput<'notebooks.toJob'> | null>(null);

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
        <select id="tojob-backend" className="input select" value={backend} onChange={(e) => setBackend(e.target.value as BackendId)}>
          {BACKENDS.map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void create()}>
          {busy ? 'Starting…' : 'Create job and run'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
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

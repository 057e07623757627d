/** On a job's page: the model versions registered from it (lineage job → version), and Register model… for a completed job. */
import { useEffect, useRef, useState } from 'react';
import type { JobDetail } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { useFocusTrap } from '../components/use-focus-trap';
import { routeHref } from '../routes';
import { navigate } from '../use-hash-route';
import { CloseIcon } from '../workspace/workspace-icons';
import './models.css';
import { useLive } from './use-models';

export function JobModelPanel({ job }: { job: JobDetail }) {
  const api = useApi();
  const versions = useLive(() => api.call('models.ofJob', { jobId: job.id }), [api, job.id]);
  const [open, setOpen] = useState(false);
  // Servers are jobs too: only a user's own completed job has a model to register.
  if (job.status !== 'Complete' || job.owner) return null;
  return (
    <section className="job-section job-models" aria-labelledby="job-models-heading" data-testid="job-models">
      <h3 id="job-models-heading">Model</h3>
      <div className="job-models-row">
        {versions.data?.length ? (
          <span>
            Registered as{' '}
            {versions.data.map((v, i) => (
              <span key={`${v.model}:${v.version}`}>
                {i ? ', ' : ''}
                <a className="mono" href={routeHref('models', v.model, v.version)} data-testid="job-model-link">
                  {v.model}:{v.version}
                </a>
                {v.deployments ? <span className="muted"> ({v.deployments} deployment{v.deployments === 1 ? '' : 's'})</span> : null}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">Register the model file this job wrote to serve, try and promote it.</span>
        )}
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="register-model">
          Register model…
        </button>
      </div>
      {open ? <RegisterDialog job={job} onClose={() => setOpen(false)} /> : null}
    </section>
  );
}

const FORMATS = ['sklearn', 'xgboost', 'lightgbm', 'pytorch', 'onnx', 'tensorflow', 'custom'] as const;

function RegisterDialog({ job, onClose }: { job: JobDetail; onClose(): void }) {
  const api = useApi();
  const [name, setName] = useState(job.name.replace(/[^A-Za-z0-9._-]+/g, '-'));
  const [version, setVersion] = useState('');
  const [file, setFile] = useState('model.joblib');
  const [format, setFormat] = useState<(typeof FORMATS)[number]>('sklearn');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  useFocusTrap(box);
  useEffect(() => first.current?.focus(), []);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const v = await api.call('models.register', { name: name.trim(), ...(version.trim() ? { version: version.trim() } : {}), jobId: job.id, path: file.trim(), format });
      onClose();
      navigate('models', v.model.name, v.name);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className="dialog-frame promote-dialog register-dialog" role="dialog" aria-modal="true" aria-labelledby="register-title" onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="register-dialog">
        <header className="dialog-head">
          <h2 id="register-title">Register the model of {job.name}</h2>
          <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label="Close">
            <CloseIcon size={14} />
          </button>
        </header>
        <form
          className="register-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor="reg-name">Model name</label>
            <input id="reg-name" ref={first} className="input mono" value={name} onChange={(e) => setName(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="reg-version">Version</label>
            <input id="reg-version" className="input mono" value={version} onChange={(e) => setVersion(e.target.value)} placeholder="next free: v1, v2, …" />
          </div>
          <div className="field">
            <label htmlFor="reg-path">Model file or folder</label>
            <input id="reg-path" className="input mono" value={file} onChange={(e) => setFile(e.target.value)} required />
            <p className="field-help">Relative to the workspace <span className="mono">{job.workspace}</span>. It is copied into the app's data folder; yours stays where it is.</p>
          </div>
          <div className="field">
            <label htmlFor="reg-format">Format</label>
            <select id="reg-format" className="input" value={format} onChange={(e) => setFormat(e.target.value as (typeof FORMATS)[number])}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <p className="muted small">The job's id and final metrics become the version's properties; the library versions of the Python it ran with are recorded, so serving uses the same ones.</p>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <footer className="dialog-foot">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || !name.trim() || !file.trim()} data-testid="register-submit">
              {busy ? <Spinner size={13} /> : null}
              Register
            </button>
          </footer>
        </form>
      </div>
    </div>
  );
}

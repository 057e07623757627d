/**
 * Promote a job from history to a cluster: pick target, namespace, runtime, image, resources and
 * nodes; see exactly what will be applied (kept in step with the form); Submit; the new job's
 * page opens. The new job is linked to this one (its parent).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { JobDetail, PromotePreview } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { Spinner } from '../components/Icons';
import { useFocusTrap } from '../components/use-focus-trap';
import { InlineError } from '../components/MessageText';
import { namespaceChoices, useNamespaces } from '../clusters/use-namespaces';
import { useTargets } from '../clusters/use-targets';
import { sortTargets } from '../clusters/targets-state';
import { navigate } from '../use-hash-route';
import { CloseIcon } from '../workspace/workspace-icons';
import { defaultTarget, formErrors, initialForm, inputKey, specDefaults, toPromoteInput, withTarget, type PromoteForm } from './promote-form';
import { PromoteFields } from './PromoteFields';
import { trackPromote } from './pending-promotes';
import { PromotePreviewPane } from './PromotePreviewPane';
import { useNamespaceProbe } from './use-namespace-probe';
import { usePromotePreview } from './use-promote-preview';
import './promote.css';

export function PromoteDialog({ job, onClose }: { job: JobDetail; onClose(): void }) {
  const api = useApi();
  const targets = useTargets({ probe: false });
  const list = useMemo(() => sortTargets(targets.state.targets), [targets.state.targets]);
  const defaults = useMemo(() => specDefaults(job.spec, job.numNodes), [job.spec, job.numNodes]);
  const [form, setForm] = useState<PromoteForm | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const open = useRef(true);
  useEffect(() => () => void (open.current = false), []);
  useFocusTrap(box);

  // The form starts once the targets are known: on the local cluster, else the current context.
  useEffect(() => {
    if (form === null && targets.state.loaded && list.length > 0) setForm(initialForm(defaults, defaultTarget(list)));
  }, [form, targets.state.loaded, list, defaults]);

  // Probe the chosen target once (runtimes, Trainer API), unless it already has a probe.
  const chosen = list.find((t) => t.id === form?.target) ?? null;
  const probing = chosen !== null && targets.state.probing.has(chosen.id);
  useEffect(() => {
    if (chosen && !chosen.probe && !probing && !targets.state.probeErrors[chosen.id]) void targets.probe(chosen.id);
  }, [chosen?.id, chosen?.probe]);

  const errors = form ? formErrors(form) : {};
  const valid = form !== null && Object.keys(errors).length === 0;
  // Runtimes of the namespace as typed (its TrainingRuntimes), and the namespaces to pick from.
  const inNamespace = useNamespaceProbe(chosen, form?.namespace ?? '', form !== null && !errors.namespace);
  const namespaces = useNamespaces(chosen?.id ?? null);
  useEffect(() => namespaces.load(), [namespaces.load]);
  const input = valid ? toPromoteInput(job.id, form, defaults) : null;
  const preview = usePromotePreview(input);
  const current = preview.preview && input && preview.key === inputKey(input) ? preview.preview : null;
  const canSubmit = current !== null && !current.blocked && !preview.loading && !submitting;

  useEffect(() => box.current?.querySelector<HTMLElement>('select, input')?.focus(), [form === null]);

  // Closing while submitting does not stop the submit: the job's page shows it (pending-promotes.ts).
  async function submit(): Promise<void> {
    if (!input || !current) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      const where = `${current.target.context}/${current.namespace}`;
      const next = await trackPromote({ jobId: current.jobId, sourceJobId: job.id, where }, () => api.call('promote.run', { ...input, jobId: current.jobId }));
      if (!open.current) return;
      onClose();
      navigate('jobs', next.id);
    } catch (err) {
      if (!open.current) return;
      setSubmitError(errorText(err));
      setSubmitting(false);
    }
  }

  // Escape in Monaco (its find widget, a selection) is Monaco's, not a request to close the dialog.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (e.target instanceof Element && e.target.closest('.monaco-editor, .monaco-diff-editor')) return;
    onClose();
  };

  const status = promoteStatus({ form: form !== null, submitting, loading: preview.loading, valid, preview: current });

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={box}
        className="dialog-frame promote-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="promote-title"
        data-testid="promote-dialog"
        onKeyDown={onKeyDown}
      >
        <header className="dialog-head">
          <h2 id="promote-title">
            Promote <span className="mono">{job.name}</span> to a cluster
          </h2>
          <span className="muted mono">from job {job.id}</span>
          <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label={submitting ? 'Close (the submit goes on)' : 'Close'}>
            <CloseIcon size={12} />
          </button>
        </header>

        <div className="promote-body">
          {targets.state.error ? (
            <div className="promote-empty">
              <InlineError prefix="Could not list clusters" message={targets.state.error} />
            </div>
          ) : !targets.state.loaded ? (
            <p className="promote-empty muted">
              <Spinner /> Reading kubeconfig…
            </p>
          ) : list.length === 0 || !form ? (
            <p className="promote-empty muted">
              No cluster to promote to: create the local cluster on the Cluster page, or add a context to your kubeconfig (see Settings → Clusters &amp; contexts).
            </p>
          ) : (
            <>
              <PromoteFields
                form={form}
                defaults={defaults}
                errors={errors}
                targets={list}
                probe={inNamespace.probe}
                probing={probing || inNamespace.probing}
                namespaces={namespaceChoices(namespaces.list, chosen?.namespace)}
                namespaceNote={namespaces.list?.problem ?? null}
                onChange={(patch) => setForm({ ...form, ...patch })}
                onTarget={(id) => {
                  const t = list.find((x) => x.id === id);
                  if (t) setForm(withTarget(form, t));
                }}
              />
              <div className="promote-right">
                {preview.error && !preview.loading ? (
                  <div className="promote-empty" data-testid="promote-error">
                    <InlineError prefix="Could not prepare the manifest" message={preview.error} />
                    <button type="button" className="btn btn-small" onClick={preview.retry}>
                      Try again
                    </button>
                  </div>
                ) : preview.preview ? (
                  <PromotePreviewPane preview={preview.preview} stale={current === null} />
                ) : (
                  <p className="promote-empty muted">{valid ? <><Spinner /> Preparing the manifest…</> : 'Fix the marked fields to see what would be applied.'}</p>
                )}
              </div>
            </>
          )}
        </div>

        <footer className="dialog-foot">
          <span className="promote-status muted" aria-live="polite" data-testid="promote-status">
            {submitting || preview.loading ? <Spinner size={12} /> : null} {status}
          </span>
          {submitError ? (
            <p className="field-error promote-submit-error" role="alert">
              Not submitted: {submitError}
            </p>
          ) : null}
          <button type="button" className="btn" onClick={onClose} title={submitting ? 'The submit goes on; this job\'s page shows how it goes' : undefined}>
            {submitting ? 'Close' : 'Cancel'}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void submit()} disabled={!canSubmit} title={current?.blocked ?? undefined}>
            {submitting ? <Spinner size={13} /> : null}
            Submit to {chosen?.context ?? 'cluster'}
          </button>
        </footer>
      </div>
    </div>
  );
}

function promoteStatus(p: { form: boolean; submitting: boolean; loading: boolean; valid: boolean; preview: PromotePreview | null }): string {
  if (!p.form) return '';
  if (p.submitting) return 'Submitting… (you can close this: the submit goes on, and this job’s page shows it)';
  if (p.loading) return 'Preparing the manifest…';
  if (!p.valid) return 'Fix the marked fields to see what would be applied.';
  if (!p.preview) return '';
  if (p.preview.blocked) return 'Blocked: see above.';
  const n = p.preview.objects.length;
  return `Ready: ${n} ${n === 1 ? 'object' : 'objects'} to ${p.preview.target.context}/${p.preview.namespace}, new job ${p.preview.jobId}`;
}

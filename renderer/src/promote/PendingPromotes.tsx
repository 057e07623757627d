/** On the source job's page: promotes submitted from it that are still under way, or failed. */
import { Spinner } from '../components/Icons';
import { InlineError } from '../components/MessageText';
import { dismissPromote, usePendingPromotes } from './pending-promotes';
import './promote.css';

export function PendingPromotes({ jobId }: { jobId: string }) {
  const pending = usePendingPromotes(jobId);
  if (pending.length === 0) return null;
  return (
    <section className="job-section pending-promotes" aria-live="polite" data-testid="pending-promotes">
      {pending.map((p) =>
        p.error ? (
          <div key={p.jobId} className="pending-promote" data-testid="pending-promote" data-state="failed">
            <InlineError prefix={`Promote to ${p.where} was not submitted`} message={p.error} />
            <button type="button" className="btn btn-small" onClick={() => dismissPromote(p.jobId)}>
              Dismiss
            </button>
          </div>
        ) : (
          <p key={p.jobId} className="pending-promote muted" data-testid="pending-promote" data-state="submitting">
            <Spinner size={12} /> Submitting to <span className="mono">{p.where}</span> as job <span className="mono">{p.jobId}</span>… it appears under Lineage once the cluster has it.
          </p>
        ),
      )}
    </section>
  );
}

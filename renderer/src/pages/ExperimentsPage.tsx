/** Experiments: being built (see the open issue); the page exists so navigation and shortcuts are stable. */
import { EmptyState } from '../components/EmptyState';
import { ExperimentsIcon } from '../components/Icons';

export function ExperimentsPage() {
  return (
    <div className="page" data-testid="page-experiments">
      <EmptyState icon={<ExperimentsIcon size={28} />} title="Hyperparameter tuning">
        <p>Katib Experiments will run here: a sweep of trial jobs on any run target, then the same file on a cluster with Katib.</p>
      </EmptyState>
    </div>
  );
}

/** Pipelines: being built (see the open issue); the page exists so navigation and shortcuts are stable. */
import { EmptyState } from '../components/EmptyState';
import { PipelinesIcon } from '../components/Icons';

export function PipelinesPage() {
  return (
    <div className="page" data-testid="page-pipelines">
      <EmptyState icon={<PipelinesIcon size={28} />} title="Pipelines">
        <p>Compiled Kubeflow Pipelines will run here, task by task, as jobs on your run targets.</p>
      </EmptyState>
    </div>
  );
}

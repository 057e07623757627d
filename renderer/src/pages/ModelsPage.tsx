/** Models: being built (see the open issue); the page exists so navigation and shortcuts are stable. */
import { EmptyState } from '../components/EmptyState';
import { ModelsIcon } from '../components/Icons';

export function ModelsPage() {
  return (
    <div className="page" data-testid="page-models">
      <EmptyState icon={<ModelsIcon size={28} />} title="Models">
        <p>Models your jobs trained will be registered, served and tried here.</p>
      </EmptyState>
    </div>
  );
}

import { EmptyState } from '../components/EmptyState';
import { DoctorIcon, NotebooksIcon } from '../components/Icons';
import { navigate } from '../use-hash-route';

export function NotebooksPage() {
  return (
    <div className="page" data-testid="page-notebooks">
      <EmptyState
        icon={<NotebooksIcon size={32} />}
        title="No notebooks open"
        actions={
          <>
            <button type="button" className="btn btn-primary" onClick={() => navigate('workspace')}>
              Go to Workspace
            </button>
            <button type="button" className="btn" onClick={() => navigate('doctor')}>
              <DoctorIcon size={14} />
              Check Jupyter in Doctor
            </button>
          </>
        }
      >
        <p>
          Notebooks open from a workspace: open a workspace, then open or create an <code>.ipynb</code> file in it. They
          run on a local Jupyter server with the workspace's Python.
        </p>
        <p className="muted">Doctor shows whether Jupyter and ipykernel are installed, and the exact command if not.</p>
      </EmptyState>
    </div>
  );
}

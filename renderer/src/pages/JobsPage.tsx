import { EmptyState } from '../components/EmptyState';
import { JobsIcon, WorkspaceIcon } from '../components/Icons';
import { navigate } from '../use-hash-route';

export function JobsPage() {
  return (
    <div className="page" data-testid="page-jobs">
      <EmptyState
        icon={<JobsIcon size={32} />}
        title="No training jobs yet"
        actions={
          <button type="button" className="btn btn-primary" onClick={() => navigate('workspace')}>
            <WorkspaceIcon size={14} />
            Go to Workspace
          </button>
        }
      >
        <p>
          Open a workspace and press <strong>Run</strong>, or from a terminal: <code>kfd run &lt;folder&gt;</code>
        </p>
        <p className="muted">
          Every job is the workspace's <code>trainjob.yaml</code>, run as local processes, in containers or on a cluster.
        </p>
      </EmptyState>
    </div>
  );
}

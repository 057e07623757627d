import { EmptyState } from '../components/EmptyState';
import { ClusterIcon } from '../components/Icons';
import { routeHref } from '../routes';

export function ClusterPage() {
  return (
    <div className="page" data-testid="page-cluster">
      <EmptyState icon={<ClusterIcon size={32} />} title="No local cluster yet">
        <p>
          A local cluster runs your <code>trainjob.yaml</code> as a real Kubeflow TrainJob on this machine, exactly as a
          remote cluster would. It needs:
        </p>
        <ul className="needs">
          <li>
            <strong>Docker</strong> (or Podman), running: the cluster's nodes are containers.
          </li>
          <li>
            <strong>kind</strong>: creates and deletes the local Kubernetes cluster.
          </li>
        </ul>
        <p>
          <a href={routeHref('doctor')}>Open Doctor</a> to see what is installed and the exact command for anything missing.
        </p>
      </EmptyState>
    </div>
  );
}

import type { ClusterInfo } from '../../../engine/api/contract';
import { CopyButton } from '../components/CopyButton';

/** The local clusters with their state, kubeconfig and the actions on each. */
export function ClusterList({ clusters, busy, onDelete, onLogs }: { clusters: ClusterInfo[]; busy: boolean; onDelete: (name: string) => void; onLogs: (name: string) => void }) {
  return (
    <section className="cluster-card" aria-labelledby="clusters-title">
      <h2 id="clusters-title">Clusters</h2>
      <ul className="cluster-list">
        {clusters.map((c) => (
          <li key={c.name} data-testid="cluster-row" data-cluster={c.name} data-state={c.state}>
            <div className="cluster-row-head">
              <strong>{c.name}</strong>
              <span className={`badge badge-${c.state === 'running' ? 'ok' : c.state === 'missing' ? 'missing' : 'warning'}`}>{c.state}</span>
              <span className="muted">
                {c.nodes.length} node(s) · {c.gpus ? `${c.gpus} GPU(s)` : 'no GPUs'}
                {c.recorded ? '' : ' · not created by this app'}
              </span>
              <span className="spacer" />
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => onLogs(c.name)}>
                Export logs
              </button>
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => onDelete(c.name)} data-testid="cluster-delete">
                Delete
              </button>
            </div>
            <div className="command">
              <pre>
                <code>{`kubectl --kubeconfig ${c.kubeconfigPath} get nodes`}</code>
              </pre>
              <CopyButton text={`kubectl --kubeconfig ${c.kubeconfigPath} get nodes`} label="Copy" />
            </div>
            {c.workspaceRoot ? <p className="muted">Workspace mounted in the nodes: {c.workspaceRoot}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

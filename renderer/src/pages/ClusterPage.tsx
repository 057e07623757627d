import { useCallback, useEffect, useState } from 'react';
import type { ClusterOperation, MethodOutput } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText } from '../api/client';
import { ClusterList } from '../cluster/ClusterList';
import { nextOperation } from '../cluster/cluster-view';
import { GpuPanel } from '../cluster/GpuPanel';
import { OperationView } from '../cluster/OperationView';
import { CheckRow } from '../components/CheckRow';
import { ClusterIcon, FolderOpenIcon, RefreshIcon, Spinner } from '../components/Icons';
import { useFolderPicker } from '../folders/use-folder-picker';
import { InlineError } from '../components/MessageText';

type Status = MethodOutput<'cluster.status'>;
type Doctor = MethodOutput<'cluster.doctor'>;

export function ClusterPage() {
  const folders = useFolderPicker();
  const api = useApi();
  const [status, setStatus] = useState<Status | null>(null);
  const [doctor, setDoctor] = useState<Doctor | null>(null);
  const [checking, setChecking] = useState(false);
  const [op, setOp] = useState<ClusterOperation | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [name, setName] = useState('kfd');
  const [workers, setWorkers] = useState(0);
  const [gpus, setGpus] = useState('auto');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  // The folder mounted at the same path in every node: the last workspace, unless changed.
  const [workspace, setWorkspace] = useState('');
  useEffect(() => {
    api.call('workspace.recent', {}).then(
      (recent) => setWorkspace((w) => w || (recent.find((r) => r.exists)?.path ?? '')),
      () => undefined,
    );
  }, [api]);

  const refresh = useCallback(async () => {
    try {
      const s = await api.call('cluster.status', {});
      setStatus(s);
      if (s.operation) setOp((shown) => nextOperation(shown, s.operation!));
    } catch (e) {
      setError(errorText(e));
    }
  }, [api]);

  const check = useCallback(async () => {
    setChecking(true);
    try {
      setDoctor(await api.call('cluster.doctor', { workers, gpus }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setChecking(false);
    }
  }, [api, workers, gpus]);

  useEffect(
    () =>
      api.on('cluster.operation', (incoming) => {
        setOp((shown) => nextOperation(shown, incoming));
        if (incoming.status !== 'running') {
          setCancelling(false);
          void refresh();
        }
      }),
    [api, refresh],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    void check();
  }, [check]);

  const start = async (method: 'cluster.create' | 'cluster.prepare' | 'cluster.delete', input: object) => {
    setError('');
    setNote('');
    try {
      const { operationId } = await api.call(method, input as never);
      const now = await api.call('cluster.operation', { id: operationId });
      if (now) setOp((shown) => nextOperation(shown, now));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const cancel = async () => {
    if (!op) return;
    setCancelling(true);
    try {
      await api.call('cluster.cancel', { operationId: op.id });
    } catch (e) {
      setError(errorText(e));
      setCancelling(false);
    }
  };
  const exportLogs = async (name: string) => {
    try {
      const { dir } = await api.call('cluster.logs', { name });
      setNote(`Logs of "${name}" written to ${dir}`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const busy = op?.status === 'running';
  const clusters = status?.clusters ?? [];
  const firstRun = status !== null && clusters.length === 0;
  const assets = status?.assets;

  return (
    <div className="page page-cluster" data-testid="page-cluster">
      {folders.dialog}
      <div className="toolbar">
        <p className="summary">
          <ClusterIcon size={16} /> Local Kubeflow (kind + JobSet + Trainer)
        </p>
        <label className="cluster-option">
          Name{' '}
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value.trim().toLowerCase())}
            aria-label="Cluster name"
            className="cluster-name"
            maxLength={32}
            pattern="[a-z0-9]([a-z0-9-]*[a-z0-9])?"
            title="lowercase letters, digits and '-', starting and ending with a letter or digit"
          />
        </label>
        <label className="cluster-option">
          Workers{' '}
          <input type="number" min={0} max={16} value={workers} onChange={(e) => setWorkers(Math.max(0, Math.min(16, Number(e.target.value) || 0)))} aria-label="Worker nodes" />
        </label>
        <label className="cluster-option">
          GPUs{' '}
          <select value={gpus} onChange={(e) => setGpus(e.target.value)} aria-label="GPUs">
            <option value="auto">auto</option>
            <option value="all">all</option>
            <option value="none">none</option>
          </select>
        </label>
        <label className="cluster-option">
          Workspace{' '}
          <input type="text" value={workspace} placeholder="none" onChange={(e) => setWorkspace(e.target.value)} aria-label="Workspace folder mounted in the nodes" className="cluster-workspace" />
        </label>
        <button
          type="button"
          className="btn btn-icon"
          aria-label="Browse for the workspace folder"
          title="Browse for the workspace folder"
          onClick={async () => {
            const picked = await folders.pick({ title: 'Folder to mount in the cluster nodes', start: workspace.trim() || undefined }).catch(() => null);
            if (picked) setWorkspace(picked);
          }}
        >
          <FolderOpenIcon size={14} />
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void start('cluster.create', { ...(name && name !== 'kfd' ? { name } : {}), workers, gpus, ...(workspace.trim() ? { workspaceRoot: workspace.trim() } : {}) })}
          data-testid="cluster-create"
        >
          {busy && op?.kind === 'create' ? <Spinner size={13} /> : null} Create local Kubeflow
        </button>
      </div>

      {error ? <InlineError prefix="Cluster" message={error} /> : null}
      {note ? (
        <p className="cluster-note" role="status" data-testid="cluster-note">
          {note}
        </p>
      ) : null}

      {op ? <OperationView op={op} onCancel={() => void cancel()} cancelling={cancelling} /> : null}

      {clusters.length ? (
        <ClusterList
          clusters={clusters}
          busy={busy}
          onLogs={(n) => void exportLogs(n)}
          onDelete={(n) => setConfirmDelete(n)}
        />
      ) : null}
      {confirmDelete ? (
        <div className="cluster-confirm" role="alertdialog" aria-label="Delete cluster" data-testid="cluster-confirm-delete">
          <p>
            Delete the cluster <strong>{confirmDelete}</strong> and everything running in it? Your workspace files are not touched.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => (setConfirmDelete(null), void start('cluster.delete', { name: confirmDelete }))}>
            Delete {confirmDelete}
          </button>
          <button type="button" className="btn" onClick={() => setConfirmDelete(null)}>
            Keep it
          </button>
        </div>
      ) : null}

      <div className="cluster-grid">
        <section className="cluster-card cluster-wizard" aria-labelledby="setup-title" data-testid="cluster-wizard">
          <div className="cluster-card-head">
            <h2 id="setup-title">{firstRun ? 'Set up your local Kubeflow' : 'This machine'}</h2>
            <button type="button" className="btn btn-small" aria-busy={checking} onClick={() => void check()}>
              {checking ? <Spinner size={12} /> : <RefreshIcon size={12} />} Check again
            </button>
          </div>
          {firstRun ? (
            <ol className="wizard-steps">
              <li>Fix anything marked below (each has the exact command).</li>
              <li>Prepare the offline assets once while online, or import a bundle.</li>
              <li>Press “Create local Kubeflow”.</li>
            </ol>
          ) : null}
          {doctor ? (
            <ul className="check-list" aria-label="Cluster checks">
              {doctor.checks.map((c) => (
                <CheckRow key={c.id} row={c} />
              ))}
            </ul>
          ) : (
            <p className="muted">
              <Spinner size={12} /> Checking Docker, kind, kubectl, GPUs…
            </p>
          )}
        </section>

        <div className="cluster-side">
          <GpuPanel doctor={doctor} />
          <section className="cluster-card" aria-labelledby="assets-title" data-testid="cluster-assets">
            <h2 id="assets-title">Offline assets</h2>
            {assets ? (
              <>
                <p>
                  {assets.prepared
                    ? `Prepared: ${assets.manifests.join(', ')} manifests; ${assets.images.filter((i) => i.present).length} of ${assets.images.length} images on this machine.`
                    : 'Not prepared: the cluster would need the registries.'}
                </p>
                {assets.problems.map((p) => (
                  <p key={p} className="muted">
                    {p}
                  </p>
                ))}
                <button type="button" className="btn" disabled={busy} onClick={() => void start('cluster.prepare', {})} data-testid="cluster-prepare">
                  {assets.prepared ? 'Prepare again' : 'Prepare (online, once)'}
                </button>
                <p className="muted">
                  To carry them to another machine: <code>kfd cluster bundle export file.tar.gz</code>, then <code>kfd cluster bundle import file.tar.gz</code> there.
                </p>
              </>
            ) : null}
          </section>
        </div>
      </div>
    </div>
  );
}

import type { MethodOutput } from '../../../engine/api/contract';

type Doctor = MethodOutput<'cluster.doctor'>;

/** The GPUs nvidia-smi found and whether the cluster will get them, with the reason either way. */
export function GpuPanel({ doctor }: { doctor: Doctor | null }) {
  return (
    <section className="cluster-card" aria-labelledby="gpu-title" data-testid="cluster-gpu">
      <h2 id="gpu-title">GPUs</h2>
      {!doctor ? (
        <p className="muted">Checking…</p>
      ) : (
        <>
          <p data-testid="cluster-gpu-passthrough">
            Passthrough: <strong>{doctor.gpu.enabled ? 'on' : 'off'}</strong> — {doctor.gpu.reason}
          </p>
          {doctor.gpus.length ? (
            <ul className="gpu-list">
              {doctor.gpus.map((g) => (
                <li key={g.uuid}>
                  GPU {g.index}: {g.name}
                  {g.memoryMiB !== null ? ` (${Math.round(g.memoryMiB / 1024)} GiB)` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No NVIDIA GPU on this machine; training jobs run on CPU.</p>
          )}
        </>
      )}
    </section>
  );
}

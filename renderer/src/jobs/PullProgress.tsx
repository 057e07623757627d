/**
 * A Created container job waiting for its image: the engine's `images.pullProgress` events for
 * that job as an overall bar (bytes of the layers whose size is known) and one row per layer.
 * The one-line summary with percent and bytes is the job's message, written by the engine.
 */
import { useEffect, useState } from 'react';
import type { PullProgress as Progress } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';

/** The latest pull picture for `jobId`, or null when no pull has been reported. */
export function usePullProgress(jobId: string, active: boolean): Progress | null {
  const api = useApi();
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    if (!active) return;
    return api.on('images.pullProgress', (p) => {
      if (p.jobId === jobId) setProgress(p);
    });
  }, [api, jobId, active]);
  return active ? progress : null;
}

const percent = (current: number, total: number) => (total > 0 ? Math.min(100, Math.floor((current / total) * 100)) : null);

export function PullProgressView({ progress, compact = false }: { progress: Progress; compact?: boolean }) {
  const overall = percent(progress.current, progress.total);
  return (
    <div className="pull-progress" data-testid="pull-progress" data-percent={overall ?? ''}>
      <div className="pull-overall">
        {/* The full view sits under the job's message, which names the image already. */}
        <span className={compact ? 'mono pull-image' : 'pull-image'}>{compact ? progress.image : 'All layers'}</span>
        <progress max={100} value={overall ?? undefined} aria-label={`Pulling ${progress.image}`} />
        <span className="pull-percent mono">{overall === null ? progress.status : `${overall}%`}</span>
      </div>
      {compact || progress.layers.length === 0 ? null : (
        <ul className="pull-layers" aria-label="Image layers">
          {progress.layers.map((l) => {
            const p = percent(l.current, l.total);
            return (
              <li key={l.id} className="pull-layer" data-status={l.status}>
                <span className="mono">{l.id.slice(0, 12)}</span>
                <progress max={100} value={p ?? (/complete|exists/i.test(l.status) ? 100 : undefined)} aria-label={`Layer ${l.id.slice(0, 12)}`} />
                <span className="muted">{l.status}{p !== null && !/complete|exists/i.test(l.status) ? ` ${p}%` : ''}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

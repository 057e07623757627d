/**
 * A Created job waiting for its image: the engine's `images.pullProgress` events for that job —
 * a pull or push as an overall bar (bytes of the layers whose size is known) and one row per
 * layer; a workspace image build as the bytes of the workspace sent, then the Dockerfile step;
 * a kind load as what kind says. The one-line summary is the job's message, written by the engine.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { PullProgress as Progress } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';

/** Backends whose jobs can wait for image work (a container pull; a cluster job's workspace image). */
export const IMAGE_BACKENDS: readonly string[] = ['container', 'kubernetes'];

/** The latest image picture for `jobId`, or null when none has been reported. */
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

const DOING: Record<NonNullable<Progress['action']>, string> = { pull: 'Pulling', push: 'Pushing', build: 'Building', load: 'Loading' };

export function PullProgressView({ progress, compact = false }: { progress: Progress; compact?: boolean }) {
  const action = progress.action ?? 'pull';
  const overall = action === 'load' ? null : percent(progress.current, progress.total);
  // The full view sits under the job's message, which names the image already.
  const what = compact ? <span className="mono pull-image">{progress.image}</span> : null;
  return (
    <div className="pull-progress" data-testid="pull-progress" data-action={action} data-percent={overall ?? ''}>
      {action === 'build' ? (
        <BuildBars progress={progress} what={what} overall={overall} />
      ) : (
        <div className="pull-overall">
          {what ?? <span className="pull-image">{action === 'load' ? 'kind load' : `${DOING[action]}: all layers`}</span>}
          <progress max={100} value={overall ?? undefined} aria-label={`${DOING[action]} ${progress.image}`} />
          <span className="pull-percent mono">{overall === null ? progress.status : `${overall}%`}</span>
        </div>
      )}
      {compact || progress.layers.length === 0 ? null : <LayerRows layers={progress.layers} />}
    </div>
  );
}

/** Sending the workspace (bytes), then "Step 2 of 4" with the step's instruction. */
function BuildBars({ progress, what, overall }: { progress: Progress; what: ReactNode; overall: number | null }) {
  const step = progress.step ?? null;
  if (!step) {
    return (
      <div className="pull-overall">
        {what ?? <span className="pull-image">Workspace sent</span>}
        <progress max={100} value={progress.current > 0 ? (overall ?? undefined) : undefined} aria-label={`Sending the workspace to build ${progress.image}`} />
        <span className="pull-percent mono">{progress.current > 0 && overall !== null ? `${overall}%` : progress.status}</span>
      </div>
    );
  }
  return (
    <div className="pull-overall" data-testid="build-step" data-step={step.index} data-steps={step.count}>
      {what ?? <span className="pull-image">Step {step.index} of {step.count}</span>}
      <progress max={step.count} value={step.index - 1} aria-label={`Building ${progress.image}: step ${step.index} of ${step.count}`} />
      <span className="pull-percent mono pull-step" title={step.text}>
        {step.text}
      </span>
    </div>
  );
}

function LayerRows({ layers }: { layers: Progress['layers'] }) {
  const finished = (status: string) => /complete|exists|^pushed/i.test(status);
  return (
    <ul className="pull-layers" aria-label="Image layers">
      {layers.map((l) => {
        const p = percent(l.current, l.total);
        return (
          <li key={l.id} className="pull-layer" data-status={l.status}>
            <span className="mono">{l.id.slice(0, 12)}</span>
            <progress max={100} value={p ?? (finished(l.status) ? 100 : undefined)} aria-label={`Layer ${l.id.slice(0, 12)}`} />
            <span className="muted">
              {l.status}
              {p !== null && !finished(l.status) ? ` ${p}%` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

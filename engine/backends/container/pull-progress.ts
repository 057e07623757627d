/**
 * An image pull (or push: the engine reports both per layer, in the same JSON messages) as people
 * see it: the messages folded into one picture (layers, bytes done of known total), and that
 * picture as one line. Pure.
 */
import type { PullProgress } from '../../api/schemas/images.js';

export type ProgressMessage = { status?: string; id?: string; progressDetail?: { current?: number; total?: number }; error?: string; errorDetail?: { message?: string }; stream?: string };

/** Folds the engine's messages into one progress picture per image. */
export class PullTracker {
  private readonly layers = new Map<string, PullProgress['layers'][number]>();
  private status = '';

  constructor(
    readonly image: string,
    readonly jobId: string | null,
    readonly action: 'pull' | 'push' = 'pull',
  ) {}

  add(m: ProgressMessage): void {
    if (!m.status) return;
    // Lines without a layer id (and "Pulling from", whose id is the tag) describe the whole pull.
    if (!m.id || /^Pulling from /.test(m.status)) {
      this.status = m.status;
      return;
    }
    const layer = this.layers.get(m.id) ?? { id: m.id, status: '', current: 0, total: 0 };
    layer.status = m.status;
    if ((m.status === 'Downloading' || m.status === 'Pushing') && m.progressDetail) {
      layer.current = m.progressDetail.current ?? layer.current;
      layer.total = m.progressDetail.total ?? layer.total;
    } else if (/^(Download complete|Pull complete|Already exists|Extracting|Pushed|Layer already exists)/.test(m.status)) {
      layer.current = layer.total;
    }
    this.layers.set(m.id, layer);
  }

  snapshot(done = false): PullProgress {
    const status = this.status || (this.action === 'push' ? 'Pushing' : 'Pulling');
    const layers = [...this.layers.values()].map((l) => ({ ...l }));
    const sum = (f: (l: (typeof layers)[number]) => number) => layers.reduce((n, l) => n + f(l), 0);
    return { image: this.image, jobId: this.jobId, ...(this.action === 'push' ? { action: this.action } : {}), status, layers, current: sum((l) => l.current), total: sum((l) => l.total), done };
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${i === 0 ? value : value.toFixed(1)} ${units[i]}`;
}

const layerDone = (l: PullProgress['layers'][number]) => /complete|Already exists|^Pushed/i.test(l.status);

/** Percent of the known bytes, or null before any layer's size is known. */
export function pullPercent(p: PullProgress): number | null {
  return p.total > 0 ? Math.min(100, Math.floor((p.current / p.total) * 100)) : null;
}

/** "python:3.11  3/5 layers  41.2 MB / 120.0 MB" */
export function formatPull(p: PullProgress): string {
  const bytes = p.total > 0 ? `  ${formatBytes(p.current)} / ${formatBytes(p.total)}` : '';
  return `${p.image}  ${p.layers.length ? `${p.layers.filter(layerDone).length}/${p.layers.length} layers` : p.status}${bytes}`;
}

/** The job's message while it waits: "Pulling image python:3.11: 34% (41.2 MB of 120.0 MB, 3/5 layers)" (or "Pushing …"). */
export function pullMessage(p: PullProgress): string {
  const [doing, did] = p.action === 'push' ? ['Pushing', 'Pushed'] : ['Pulling', 'Pulled'];
  if (p.done) return `${did} image ${p.image}.`;
  const percent = pullPercent(p);
  const layers = p.layers.length ? `${p.layers.filter(layerDone).length}/${p.layers.length} layers` : '';
  if (percent === null) return `${doing} image ${p.image}: ${layers || p.status}`;
  return `${doing} image ${p.image}: ${percent}% (${formatBytes(p.current)} of ${formatBytes(p.total)}${layers ? `, ${layers}` : ''})`;
}

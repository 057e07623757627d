/**
 * Shipping a workspace image as people see it (pure): the build (workspace bytes sent to the
 * engine, then the Dockerfile's steps), the push (per layer, folded by the container backend's
 * PullTracker) and the kind load, each as the `images.pullProgress` picture and as the one line
 * the job shows while it waits.
 */
import type { PullProgress } from '../../api/schemas/images.js';
import { formatBytes, pullMessage } from '../container/pull-progress.js';

/** The job was cancelled while its image was being made; the message says at which step. */
export class ImageShippingCancelled extends Error {
  constructor(
    message: string,
    /** The removal of what the dropped build left, which goes on after the job ended. */
    readonly cleanup: Promise<void> = Promise.resolve(),
  ) {
    super(message);
  }
}

/** Docker's classic builder says "Step 2/3 : COPY …", Podman (buildah) "STEP 2/3: COPY …". */
const STEP = /^step (\d+)\/(\d+)\s*:\s*(.*)$/i;

export function parseBuildStep(line: string): { index: number; count: number; text: string } | null {
  const m = STEP.exec(line.trim());
  return m ? { index: Number(m[1]), count: Number(m[2]), text: m[3]!.trim() } : null;
}

/** Folds a build's upload and stream lines into one picture. */
export class BuildTracker {
  private sent = 0;
  private step: PullProgress['step'] = null;
  private status = 'Checking the base image';

  constructor(
    readonly image: string,
    readonly jobId: string | null,
    private readonly totalBytes: number,
  ) {}

  /** Workspace bytes read into the build context so far. */
  sending(bytes: number): void {
    this.sent = bytes;
    this.status = 'Sending the workspace to the engine';
  }

  /** A line of the builder's output; a step line moves the step on (then true: a step to show). */
  line(text: string): boolean {
    const step = parseBuildStep(text);
    if (!step) return false;
    this.step = step;
    this.sent = this.totalBytes; // steps start once the whole context has arrived
    this.status = `Step ${step.index}/${step.count}`;
    return true;
  }

  snapshot(done = false): PullProgress {
    return { image: this.image, jobId: this.jobId, action: 'build', step: this.step, status: done ? 'Built' : this.status, layers: [], current: this.sent, total: this.totalBytes, done };
  }
}

export function loadProgress(image: string, jobId: string | null, cluster: string, status: string, done = false): PullProgress {
  return { image, jobId, action: 'load', step: null, status: status || `starting (cluster ${cluster})`, layers: [], current: 0, total: 0, done };
}

const percent = (current: number, total: number) => (total > 0 ? Math.min(100, Math.floor((current / total) * 100)) : null);

/** The job's message while it waits for its image: "Building image X: step 2/3, COPY workspace/ /workspace/". */
export function imageMessage(p: PullProgress): string {
  switch (p.action) {
    case 'build': {
      if (p.done) return `Built image ${p.image}.`;
      if (p.step) return `Building image ${p.image}: step ${p.step.index}/${p.step.count}, ${p.step.text}`;
      const pc = percent(p.current, p.total);
      if (p.current > 0 && pc !== null) return `Building image ${p.image}: sending the workspace, ${pc}% (${formatBytes(p.current)} of ${formatBytes(p.total)})`;
      return `Building image ${p.image}: ${p.status.toLowerCase()}…`;
    }
    case 'load':
      return p.done ? `Loaded image ${p.image} into the local cluster.` : `Loading image ${p.image} into the local cluster (kind load): ${p.status}`;
    default:
      return pullMessage(p);
  }
}

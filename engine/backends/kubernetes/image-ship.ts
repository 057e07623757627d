/**
 * Shipping a workspace too big for a ConfigMap: an image built FROM spec.trainer.image with the
 * workspace copied into /workspace, on the local Docker/Podman engine (the container backend's
 * connection), then pushed to the registry the user set for the target — or, for the app's
 * local kind cluster, handed to its nodes with `kind load docker-image` (no registry needed).
 * Registry credentials stay with the engine and the user's Docker config; the app keeps none.
 *
 * Every step reports progress (image-progress.ts) and stops when the job's signal aborts: the
 * build and push requests are dropped (the engine stops them with the connection), kind is
 * killed, and the half-made image is removed, so a cancelled job leaves nothing behind.
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import type { PullProgress } from '../../api/schemas/images.js';
import { ensureImage, PullCancelledError, readMessages } from '../container/images.js';
import { PullTracker } from '../container/pull-progress.js';
import { BuildTracker, imageMessage, ImageShippingCancelled, loadProgress } from './image-progress.js';
import { registryAuth } from './registry-auth.js';
import type { ImageBuild } from './submission-plan.js';
import { packWorkspace } from './workspace-archive.js';
import type { WorkspaceListing } from './workspace-files.js';

export interface ImageDeliveryDeps {
  /** The engine to build on (the container backend's discovery). */
  docker(): Promise<Docker>;
  /** The kind binary (local clusters); default `kind` on PATH. */
  kind?: string;
  env?: NodeJS.ProcessEnv;
  /** Minimum time between two progress reports of bytes (steps and the last one always go out). Default 250 ms. */
  everyMs?: number;
}

export interface ImageDelivery {
  build: ImageBuild;
  workspace: string;
  listing: WorkspaceListing;
  clusterName: string | null;
  jobId: string | null;
  signal?: AbortSignal | undefined;
  /** The one line the job shows (imageMessage of the latest picture). */
  onMessage(message: string): void;
  onProgress?(p: PullProgress): void;
}

/** On every layer of a job's workspace image (so the layers of a cancelled build can be found); value: the job id. */
export const WORKSPACE_IMAGE_LABEL = 'kubeflow-desktop/workspace-of';

export function workspaceDockerfile(base: string, jobId: string | null): string {
  // The label comes right after FROM, so every layer the build commits carries it.
  return [`FROM ${base}`, ...(jobId ? [`LABEL ${WORKSPACE_IMAGE_LABEL}=${jobId}`] : []), 'COPY workspace/ /workspace/', 'WORKDIR /workspace', ''].join('\n');
}

/**
 * Reports the picture at most every `everyMs`, except what must not be lost (`always`): a build
 * step (a few per build, each one a promise of what the job page shows) and the last picture.
 * Throttling only thins out byte counts; on a busy machine the steps arrive close together.
 */
function reporter(d: ImageDelivery, everyMs: number) {
  let last = 0;
  return (p: PullProgress, always = false) => {
    if (!always && Date.now() - last < everyMs) return;
    last = Date.now();
    d.onProgress?.(p);
    d.onMessage(imageMessage(p));
  };
}

const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => (signal.aborted ? reject(signal.reason) : signal.addEventListener('abort', () => reject(signal.reason), { once: true })));

/** Waits for the engine's JSON-lines answer; an abort ends the wait even if the stream just stops. */
function follow(stream: NodeJS.ReadableStream, onMessage: Parameters<typeof readMessages>[1], signal: AbortSignal | undefined): Promise<void> {
  return signal ? Promise.race([readMessages(stream, onMessage), aborted(signal)]) : readMessages(stream, onMessage);
}

export async function buildWorkspaceImage(docker: Docker, d: ImageDelivery, everyMs = 250): Promise<void> {
  const { build, signal } = d;
  const tracker = new BuildTracker(build.tag, d.jobId, d.listing.totalBytes);
  const report = reporter(d, everyMs);
  report(tracker.snapshot(), true);
  await ensureImage(docker, build.base, { jobId: d.jobId, ...(signal ? { signal } : {}), onProgress: (p) => (d.onProgress?.(p), d.onMessage(imageMessage(p))) });
  signal?.throwIfAborted();
  const context = packWorkspace(d.workspace, d.listing, {
    extra: [{ name: 'Dockerfile', text: workspaceDockerfile(build.base, d.jobId) }],
    prefix: 'workspace/',
    ...(signal ? { signal } : {}),
    onBytes: (n) => {
      tracker.sending(n);
      report(tracker.snapshot());
    },
  });
  const stream = await docker.buildImage(context as never, { t: build.tag, labels: { 'app.kubernetes.io/managed-by': 'kubeflow-desktop' }, ...(signal ? { abortSignal: signal } : {}) });
  await follow(
    stream,
    (m) => {
      const line = m.stream?.trim();
      if (!line) return;
      const moved = tracker.line(line);
      report(tracker.snapshot(), moved);
    },
    signal,
  );
  report(tracker.snapshot(true), true);
}

export async function pushWorkspaceImage(docker: Docker, d: ImageDelivery, env: NodeJS.ProcessEnv | undefined, everyMs = 250): Promise<void> {
  const { build, signal } = d;
  const tracker = new PullTracker(build.tag, d.jobId, 'push');
  const report = reporter(d, everyMs);
  report(tracker.snapshot(), true);
  // The API takes the repository in the path and the tag as a parameter.
  const colon = build.tag.lastIndexOf(':');
  const [repository, tag] = colon > build.tag.lastIndexOf('/') ? [build.tag.slice(0, colon), build.tag.slice(colon + 1)] : [build.tag, 'latest'];
  const push = await docker.getImage(repository).push({ tag, authconfig: await registryAuth(build.tag, env), ...(signal ? { abortSignal: signal } : {}) });
  await follow(
    push as NodeJS.ReadableStream,
    (m) => {
      tracker.add(m);
      report(tracker.snapshot());
    },
    signal,
  );
  report(tracker.snapshot(true), true);
}

export async function kindLoadImage(deps: ImageDeliveryDeps, d: ImageDelivery): Promise<void> {
  const { build } = d;
  const cluster = d.clusterName;
  if (!cluster) throw new Error("kind load needs the local cluster's name");
  const report = reporter(d, 0);
  report(loadProgress(build.tag, d.jobId, cluster, ''), true);
  const child = execa(deps.kind ?? 'kind', ['load', 'docker-image', build.tag, '--name', cluster], { reject: false, ...(deps.env ? { env: deps.env } : {}), ...(d.signal ? { cancelSignal: d.signal } : {}) });
  // kind says which node it is loading into; that line is the progress there is.
  child.stderr?.on('data', (c: Buffer) => {
    const line = c.toString('utf8').trim().split('\n').at(-1)?.trim();
    if (line) report(loadProgress(build.tag, d.jobId, cluster, line));
  });
  const r = await child;
  if (r.isCanceled) throw d.signal?.reason ?? new Error('cancelled');
  if (r.exitCode !== 0) throw new Error(`kind load docker-image ${build.tag} failed: ${String(r.stderr || r.stdout || r.message || '').trim().split('\n').slice(-3).join(' ')}`);
  report(loadProgress(build.tag, d.jobId, cluster, 'loaded', true), true);
}

/**
 * Removes the image and every layer a dropped build of this job committed. The engine finishes
 * the step it was in after the connection dropped (in a container made from the base or one of
 * the job's layers), so the sweep repeats until two rounds in a row find neither such a
 * container nor a layer (at most `rounds` × `pauseMs`; in the background: the job is Cancelled already).
 */
export async function removeBuildLeftovers(docker: Docker, build: { tag: string; base: string; jobId: string | null; since: number }, pauseMs = 1000, rounds = 60): Promise<void> {
  await docker.getImage(build.tag).remove({ force: true }).catch(() => undefined);
  if (!build.jobId) return;
  const label = `${WORKSPACE_IMAGE_LABEL}=${build.jobId}`;
  const sweep = async (): Promise<boolean> => {
    const images = await docker.listImages({ all: true, filters: { label: [label] } }).catch(() => []);
    // Newest first: removing a layer's child first lets the layer itself go.
    for (const image of images.sort((a, b) => b.Created - a.Created)) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
    const ancestors = [build.base, ...images.map((i) => i.Id)];
    const steps = await docker.listContainers({ all: true, filters: { ancestor: ancestors } }).catch(() => []);
    return images.length === 0 && !steps.some((c) => c.Created * 1000 >= build.since - 1000);
  };
  for (let quiet = 0, round = 0; quiet < 2 && round < rounds; round++) {
    quiet = (await sweep()) ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((r) => setTimeout(r, pauseMs).unref());
  }
}

/** Builds, then pushes or kind-loads; a cancel at any step removes the image and throws ImageShippingCancelled. */
export async function deliverWorkspaceImage(deps: ImageDeliveryDeps, d: ImageDelivery): Promise<void> {
  const docker = await deps.docker();
  const everyMs = deps.everyMs ?? 250;
  const since = Date.now();
  let step = `building image ${d.build.tag}`;
  try {
    await buildWorkspaceImage(docker, d, everyMs);
    d.signal?.throwIfAborted();
    if (d.build.delivery === 'kind-load') {
      step = `loading image ${d.build.tag} into the local cluster ${d.clusterName ?? ''}`.trim();
      await kindLoadImage(deps, d);
    } else {
      step = `pushing image ${d.build.tag}`;
      await pushWorkspaceImage(docker, d, deps.env, everyMs);
    }
  } catch (err) {
    if (!d.signal?.aborted && !(err instanceof PullCancelledError)) throw err;
    // The engine may still be finishing what the dropped request started: the image goes either way.
    const cleanup = removeBuildLeftovers(docker, { tag: d.build.tag, base: d.build.base, jobId: d.jobId, since }).catch(() => undefined);
    throw new ImageShippingCancelled(`Cancelled while ${step}; nothing was submitted to the cluster.`, cleanup);
  }
}

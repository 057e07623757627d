/** Container images on the engine the container backend uses: pull (with progress), save, load, list. Pure zod. */
import { z } from 'zod';

/** What is done to an image a job waits for: pulled, built from the workspace, pushed to a registry, loaded into the local cluster (kind load). */
export const imageAction = z.enum(['pull', 'build', 'push', 'load']);
export type ImageAction = z.infer<typeof imageAction>;

/** An image pull, build, push or load as it moves on (the name stays from when pulls were the only kind). */
export const pullProgress = z.object({
  image: z.string(),
  /** Absent: a pull. */
  action: imageAction.optional(),
  /** A build's current Dockerfile step, e.g. 2 of 3 "COPY workspace/ /workspace/"; null before the first. */
  step: z.object({ index: z.number().int(), count: z.number().int(), text: z.string() }).nullable().optional(),
  /** The job waiting for this image, or null for a pull asked for directly. */
  jobId: z.string().nullable(),
  /** The engine's latest overall line, e.g. "Pulling from library/python" or "Downloaded newer image…". */
  status: z.string(),
  layers: z.array(z.object({ id: z.string(), status: z.string(), current: z.number(), total: z.number() })),
  /** Bytes downloaded / to download (pushed / to push; a build: workspace bytes sent to the engine), over the layers whose size is known so far. */
  current: z.number(),
  total: z.number(),
  done: z.boolean(),
});
export type PullProgress = z.infer<typeof pullProgress>;

export const imageInfo = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  sizeBytes: z.number(),
  createdAt: z.number(),
});
export type ImageInfo = z.infer<typeof imageInfo>;

export const containerEngine = z.object({
  /** Socket path or tcp:// URL: what the containerSocket setting takes. */
  address: z.string(),
  /** Where the address came from: "containerSocket setting", "DOCKER_HOST" or "default". */
  source: z.string(),
  /** "Docker" / "Podman" and its version when it answered; else why not. */
  engine: z.string().nullable(),
  version: z.string().nullable(),
  error: z.string().nullable(),
  /** New container jobs run here. */
  inUse: z.boolean(),
});
export type ContainerEngine = z.infer<typeof containerEngine>;

export const imageMethods = {
  /** Every Docker/Podman address the container backend would try, and which of them answer (Settings' engine picker). */
  'images.engines': { input: z.object({}).strict(), output: z.object({ engines: z.array(containerEngine) }) },
  'images.list': { input: z.object({}).strict(), output: z.object({ engine: z.string(), images: z.array(imageInfo) }) },
  /** Pulls unless present; progress arrives as images.pullProgress events. */
  'images.pull': {
    input: z.object({ image: z.string().min(1).max(500) }).strict(),
    output: z.object({ image: z.string(), pulled: z.boolean() }),
  },
  /** `docker save` to a file (gzip when it ends in .gz or .tgz), for carrying images to an offline machine. */
  'images.save': {
    input: z.object({ images: z.array(z.string().min(1).max(500)).min(1).max(100), output: z.string().min(1) }).strict(),
    output: z.object({ file: z.string(), bytes: z.number(), images: z.array(z.string()) }),
  },
  /** `docker load` from a file written by images.save or `docker save` (plain or compressed). */
  'images.load': {
    input: z.object({ file: z.string().min(1) }).strict(),
    output: z.object({ images: z.array(z.string()) }),
  },
} as const;

export const imageEvents = {
  /** An image pull, build, push or load moved on (at most a few per second per image); `jobId` names the job waiting for it. */
  'images.pullProgress': pullProgress,
} as const;

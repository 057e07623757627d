/**
 * Images on the engine: a job's image is used when present, pulled (with per-layer progress)
 * otherwise, and when it can be neither the error says which image and how to carry it over
 * to an offline machine (`kfd images save` / `kfd images load`).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type Docker from 'dockerode';
import type { ImageInfo, PullProgress } from '../../api/schemas/images.js';
import { PullTracker, type ProgressMessage } from './pull-progress.js';

export class ImageUnavailableError extends Error {}
export class PullCancelledError extends Error {}


/** Reads a JSON-lines answer (pull, load, build, push) to its end; a message with `error` rejects. */
export function readMessages(stream: NodeJS.ReadableStream, onMessage: (m: ProgressMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let m: ProgressMessage;
        try {
          m = JSON.parse(line) as ProgressMessage;
        } catch {
          continue; // not a progress message; nothing to show
        }
        if (m.error || m.errorDetail?.message) return fail(new Error(m.errorDetail?.message ?? m.error));
        onMessage(m);
      }
    });
    stream.on('error', fail);
    stream.on('end', () => (failed ? undefined : resolve()));
  });
}

export function offlineHelp(image: string): string {
  return (
    `If this machine is offline, carry the image over: on a machine that has it run ` +
    `\`kfd images save ${image} -o image.tar.gz\` (or \`docker save ${image} | gzip > image.tar.gz\`), ` +
    `copy the file here, then run \`kfd images load image.tar.gz\`.`
  );
}

export async function imagePresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

export interface PullOptions {
  jobId?: string | null;
  onProgress?: (p: PullProgress) => void;
  /** Minimum time between two progress reports (the last one always goes out). Default 250 ms. */
  everyMs?: number;
  /** Stops the pull (the engine drops it with the connection). */
  signal?: AbortSignal;
}

/** Pulls `image` unless it is already on the engine. */
export async function ensureImage(docker: Docker, image: string, options: PullOptions = {}): Promise<{ pulled: boolean }> {
  if (await imagePresent(docker, image)) return { pulled: false };
  const tracker = new PullTracker(image, options.jobId ?? null);
  let last = 0;
  const report = (done = false) => {
    if (!options.onProgress || (!done && Date.now() - last < (options.everyMs ?? 250))) return;
    last = Date.now();
    options.onProgress(tracker.snapshot(done));
  };
  try {
    const stream = await docker.pull(image, { abortSignal: options.signal });
    await readMessages(stream, (m) => {
      tracker.add(m);
      report();
    });
  } catch (err) {
    if (options.signal?.aborted) throw new PullCancelledError(`Cancelled while pulling image ${image}.`);
    const reason = ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message).trim();
    throw new ImageUnavailableError(`Image "${image}" is not on this machine and could not be pulled (${reason}). ${offlineHelp(image)}`);
  }
  report(true);
  // Some engines end a failed pull without an error message: trust only what is there now.
  if (!(await imagePresent(docker, image))) throw new ImageUnavailableError(`Image "${image}" is still missing after a pull that reported no error. ${offlineHelp(image)}`);
  return { pulled: true };
}

/** `docker save` of the images into `file` (gzip-compressed when it ends in .gz/.tgz), written atomically. */
export async function saveImages(docker: Docker, images: string[], file: string): Promise<{ bytes: number }> {
  const missing: string[] = [];
  for (const image of images) if (!(await imagePresent(docker, image))) missing.push(image);
  if (missing.length) {
    throw new ImageUnavailableError(`Not on this machine, so not saved: ${missing.join(', ')}. Pull ${missing.length > 1 ? 'them' : 'it'} first (\`kfd images pull\` / \`docker pull\`) on a connected machine.`);
  }
  const tmp = `${file}.${process.pid}.partial`;
  try {
    // GET /images/get?names=…: one tar for several images (dockerode has it; its types do not).
    const tar = await (docker as unknown as { getImages(o: { names: string[] }): Promise<NodeJS.ReadableStream> }).getImages({ names: images });
    const out = createWriteStream(tmp, { mode: 0o644 });
    if (/\.(t?gz)$/.test(file)) await pipeline(tar, createGzip({ level: 6 }), out);
    else await pipeline(tar, out);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { bytes: (await stat(file)).size };
}

/** `docker load` of a saved file (the engine reads plain, gzip, bzip2 and xz tars); the image names it added. */
export async function loadImages(docker: Docker, file: string): Promise<string[]> {
  await stat(file); // a missing file: ENOENT names it, instead of an engine error about an empty upload
  const loaded: string[] = [];
  const answer = await docker.loadImage(createReadStream(file), { quiet: true });
  await readMessages(answer, (m) => {
    const match = /^Loaded image(?: ID)?: (.+)$/m.exec(m.stream ?? '');
    if (match) loaded.push(match[1]!.trim());
  });
  return loaded;
}

export async function listImages(docker: Docker): Promise<ImageInfo[]> {
  const images = await docker.listImages();
  return images.map((i) => ({
    id: i.Id,
    tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    sizeBytes: i.Size,
    createdAt: i.Created * 1000,
  }));
}

/** The images.* API methods, on the engine the container backend uses (the containerSocket setting, or discovery). */
import path from 'node:path';
import { ApiError } from '../../api/api-error.js';
import type { Settings } from '../../api/contract.js';
import type { Handlers } from '../../api/dispatch.js';
import type { PullProgress, imageMethods } from '../../api/schemas/images.js';
import { ask } from '../../doctor/checks/container-engine.js';
import { endpointAddress, engineEndpoints, identifyEngine } from '../../doctor/checks/container-endpoints.js';
import { connectEngine, EngineUnavailableError } from './engine-connection.js';
import { ensureImage, ImageUnavailableError, listImages, loadImages, saveImages } from './images.js';

export interface ImageHandlerDeps {
  env: NodeJS.ProcessEnv;
  settings: () => Settings;
  onPullProgress: (p: PullProgress) => void;
}

function absolute(file: string, field: string): string {
  if (!path.isAbsolute(file)) throw new ApiError('bad_request', `${field} must be an absolute path, got "${file}".`);
  return file;
}

/** Engine errors as API errors that say what to do. */
async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof EngineUnavailableError) throw new ApiError('unavailable', err.message);
    if (err instanceof ImageUnavailableError) throw new ApiError('not_found', err.message);
    const e = err as NodeJS.ErrnoException & { json?: { message?: string } };
    if (e.code === 'ENOENT') throw new ApiError('not_found', `${e.path ?? 'The file'} does not exist.`);
    if (e.code === 'EACCES') throw new ApiError('forbidden', `No permission to use ${e.path ?? 'the file'}.`);
    throw new ApiError('internal', e.json?.message?.trim() ?? e.message);
  }
}

export function imageHandlers(deps: ImageHandlerDeps): Pick<Handlers, keyof typeof imageMethods> {
  const docker = async () => connectEngine(deps.env, deps.settings());
  return {
    'images.engines': async () => {
      const endpoints = engineEndpoints(deps.env, deps.settings());
      const attempts = await Promise.all(endpoints.map(ask));
      // As connectEngine picks: the setting if set (answering or not), else the first that answers.
      const chosen = attempts.find((a) => a.endpoint.source === 'containerSocket setting') ?? attempts.find((a) => a.answer);
      const engines = attempts.map((a) => {
        const id = a.answer ? identifyEngine(a.answer) : null;
        return { address: endpointAddress(a.endpoint), source: a.endpoint.source, engine: id?.engine ?? null, version: id?.version ?? null, error: a.answer ? null : (a.error ?? 'no answer'), inUse: a === chosen };
      });
      return { engines };
    },
    'images.list': () =>
      mapped(async () => {
        const conn = await docker();
        return { engine: conn.describe, images: await listImages(conn.docker) };
      }),
    'images.pull': (input) =>
      mapped(async () => {
        const { pulled } = await ensureImage((await docker()).docker, input.image, { onProgress: deps.onPullProgress });
        return { image: input.image, pulled };
      }),
    'images.save': (input) =>
      mapped(async () => {
        const file = absolute(input.output, 'output');
        const { bytes } = await saveImages((await docker()).docker, input.images, file);
        return { file, bytes, images: input.images };
      }),
    'images.load': (input) => mapped(async () => ({ images: await loadImages((await docker()).docker, absolute(input.file, 'file')) })),
  };
}

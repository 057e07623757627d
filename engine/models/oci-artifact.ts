/**
 * A model version as an OCI image a cluster pulls (KServe "modelcar": `storageUri: oci://…`,
 * the files under /models, on a base with a shell): built on the user's Docker/Podman engine
 * and pushed with the same path workspace images take (image-ship.ts: the user's registry
 * credentials stay with the engine and the Docker config). Returns the `oci://` uri.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import type { PullProgress } from '../api/schemas/images.js';
import type { ModelArtifact } from '../api/schemas/models.js';
import { ensureImage, readMessages } from '../backends/container/images.js';
import { pushWorkspaceImage } from '../backends/kubernetes/image-ship.js';

/** The base KServe's modelcar documentation builds on: a shell and nothing else. */
export const DEFAULT_MODELCAR_BASE = 'busybox';
export const MODELCAR_DIR = '/models';

export function modelcarDockerfile(base: string, digest: string): string {
  return [`FROM ${base}`, `LABEL org.kubeflow.desktop.model-digest=${digest}`, `COPY models/ ${MODELCAR_DIR}/`, ''].join('\n');
}

/** `registry/repo:tag` without a scheme; refuses `oci://` doubled or a missing repository. */
export function checkImageRef(ref: string): string {
  const r = ref.replace(/^oci:\/\//, '').trim();
  if (!/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w][\w.-]{0,127})?$/i.test(r)) {
    throw new Error(`"${ref}" is not an image reference like registry.example.com/team/digits:v1 (the registry host, a repository, a tag).`);
  }
  return r;
}

async function context(artifact: ModelArtifact, dockerfile: string): Promise<NodeJS.ReadableStream> {
  const tar = pack();
  tar.entry({ name: 'Dockerfile' }, dockerfile);
  const root = artifact.localPath;
  void (async () => {
    for (const f of artifact.files) {
      const abs = path.join(root, f);
      const size = (await stat(abs)).size;
      await new Promise<void>((resolve, reject) => {
        const entry = tar.entry({ name: `models/${f}`, size, mode: 0o644 }, (err) => (err ? reject(err) : resolve()));
        createReadStream(abs).on('error', reject).pipe(entry);
      });
    }
    tar.finalize();
  })().catch((err: unknown) => tar.destroy(err as Error));
  return tar as unknown as NodeJS.ReadableStream;
}

export async function pushModelcar(
  docker: Docker,
  artifact: ModelArtifact,
  opts: { image: string; base?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; onMessage(message: string): void; onProgress?(p: PullProgress): void },
): Promise<string> {
  const tag = checkImageRef(opts.image);
  const base = opts.base ?? DEFAULT_MODELCAR_BASE;
  opts.onMessage(`Preparing the base image ${base}`);
  await ensureImage(docker, base, { jobId: null, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  opts.onMessage(`Building ${tag} (${artifact.files.join(', ')} in ${MODELCAR_DIR})`);
  const stream = await docker.buildImage((await context(artifact, modelcarDockerfile(base, artifact.digest))) as never, { t: tag, labels: { 'app.kubernetes.io/managed-by': 'kubeflow-desktop' }, ...(opts.signal ? { abortSignal: opts.signal } : {}) });
  await readMessages(stream, (m) => {
    const line = m.stream?.trim();
    if (line) opts.onMessage(line);
  });
  await pushWorkspaceImage(docker, { build: { tag, base, delivery: 'push' }, workspace: artifact.localPath, listing: { files: [], totalBytes: 0 } as never, clusterName: null, jobId: null, signal: opts.signal, onMessage: opts.onMessage, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) }, opts.env);
  return `oci://${tag}`;
}

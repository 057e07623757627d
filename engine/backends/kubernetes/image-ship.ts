/**
 * Shipping a workspace too big for a ConfigMap: an image built FROM spec.trainer.image with the
 * workspace copied into /workspace, on the local Docker/Podman engine (the container backend's
 * connection), then pushed to the registry the user set for the target — or, for the app's
 * local kind cluster, handed to its nodes with `kind load docker-image` (no registry needed).
 * Registry credentials stay with the engine and the user's Docker config; the app keeps none.
 */
import type Docker from 'dockerode';
import { execa } from 'execa';
import { ensureImage, readMessages } from '../container/images.js';
import { registryAuth } from './registry-auth.js';
import type { ImageBuild } from './submission-plan.js';
import { archiveWorkspace } from './workspace-archive.js';
import type { WorkspaceListing } from './workspace-files.js';

export interface ImageDeliveryDeps {
  /** The engine to build on (the container backend's discovery). */
  docker(): Promise<Docker>;
  /** The kind binary (local clusters); default `kind` on PATH. */
  kind?: string;
  env?: NodeJS.ProcessEnv;
}

export function workspaceDockerfile(base: string): string {
  return [`FROM ${base}`, 'COPY workspace/ /workspace/', 'WORKDIR /workspace', ''].join('\n');
}

export async function buildWorkspaceImage(docker: Docker, build: ImageBuild, workspace: string, listing: WorkspaceListing, onProgress: (message: string) => void): Promise<void> {
  onProgress(`Building image ${build.tag} from ${build.base}: checking the base image…`);
  await ensureImage(docker, build.base);
  const context = await archiveWorkspace(workspace, listing, [{ name: 'Dockerfile', text: workspaceDockerfile(build.base) }], 'workspace/');
  const stream = await docker.buildImage(Buffer.from(context.bytes) as never, { t: build.tag, labels: { 'app.kubernetes.io/managed-by': 'kubeflow-desktop' } });
  await readMessages(stream, (m) => {
    const line = m.stream?.trim();
    if (line) onProgress(`Building image ${build.tag}: ${line}`);
  });
}

export async function deliverWorkspaceImage(
  deps: ImageDeliveryDeps,
  input: { build: ImageBuild; workspace: string; listing: WorkspaceListing; clusterName: string | null; onProgress: (message: string) => void },
): Promise<void> {
  const docker = await deps.docker();
  const { build, onProgress } = input;
  await buildWorkspaceImage(docker, build, input.workspace, input.listing, onProgress);
  if (build.delivery === 'kind-load') {
    if (!input.clusterName) throw new Error('kind load needs the local cluster\'s name');
    onProgress(`Loading image ${build.tag} into the local cluster ${input.clusterName} (kind load)…`);
    const r = await execa(deps.kind ?? 'kind', ['load', 'docker-image', build.tag, '--name', input.clusterName], { reject: false, ...(deps.env ? { env: deps.env } : {}) });
    if (r.exitCode !== 0) throw new Error(`kind load docker-image ${build.tag} failed: ${String(r.stderr || r.stdout || r.message || '').trim().split('\n').slice(-3).join(' ')}`);
    return;
  }
  onProgress(`Pushing image ${build.tag}…`);
  // The API takes the repository in the path and the tag as a parameter.
  const colon = build.tag.lastIndexOf(':');
  const [repository, tag] = colon > build.tag.lastIndexOf('/') ? [build.tag.slice(0, colon), build.tag.slice(colon + 1)] : [build.tag, 'latest'];
  const push = await docker.getImage(repository).push({ tag, authconfig: await registryAuth(build.tag, deps.env) });
  await readMessages(push as NodeJS.ReadableStream, (m) => {
    if (m.status) onProgress(`Pushing image ${build.tag}: ${m.status}${m.id ? ` ${m.id}` : ''}`);
  });
}

/**
 * The library versions of a model trained in a container: INSPECT_SCRIPT run in the job's own
 * image (a throwaway container on the job's engine, the model folder mounted read-only, no
 * network), so the versions are the image's, not this machine's.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { ModelFormat } from '../api/schemas/models.js';
import { INSPECT_SCRIPT } from './python-scripts.js';
import type { InspectResult } from './training-env.js';

const MOUNT = '/kfd-model';

export async function inspectInImage(docker: Docker, image: string, format: ModelFormat, modelDir: string, modelFile: string, timeoutMs = 120_000): Promise<InspectResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['python3', '-c', INSPECT_SCRIPT, format, `${MOUNT}/${modelFile}`],
    Cmd: [],
    Env: ['PYTHONDONTWRITEBYTECODE=1'],
    Labels: { 'org.kubeflow.desktop.managed': 'true', 'org.kubeflow.desktop.purpose': 'model-inspect' },
    HostConfig: { AutoRemove: false, NetworkMode: 'none', Mounts: [{ Type: 'bind', Source: modelDir, Target: MOUNT, ReadOnly: true }] },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    container.modem.demuxStream(stream, stdout, stderr);
    await container.start();
    const timer = setTimeout(() => void container.kill().catch(() => undefined), timeoutMs);
    await container.wait().finally(() => clearTimeout(timer));
    const last = out.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(last) as InspectResult;
    } catch {
      throw new Error(`python3 in the image ${image} could not read the library versions: ${err.trim().split('\n').pop() || 'no output'}`);
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Container backend: submit → first user log line. `jobs.run --backend container` on a one-line
 * script until that line arrives in a `jobs.log` event (network + container create/start, the
 * launcher, the log copy, the capture), against plain `docker run --rm` of the same image and
 * command until its first stdout line (median of 7 each, after one warm-up). Where a Podman
 * service answers at /run/podman/podman.sock with the image, the same on Podman (picked with the
 * containerSocket setting) against plain `podman run --rm`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { createEngine } from '../engine/engine.js';
import { engineFirstLine, spawnFirstLine } from './first-line.js';
import { median, ratioLine, timed } from './measure.js';

const IMAGE = 'kfd-test/python:bookworm';
const RUNS = 7;
const FIRST_LINE = 'first line from train.py';

const PODMAN_SOCKET = '/run/podman/podman.sock';

const runFirstLine = (cli: 'docker' | 'podman', ws: string) =>
  spawnFirstLine(cli, ['run', '--rm', '-v', `${ws}:/workspace`, '-w', '/workspace', '-e', 'PYTHONUNBUFFERED=1', IMAGE, 'python3', 'train.py']);

const podmanReady = async (): Promise<string> => {
  const podman = new Docker({ socketPath: PODMAN_SOCKET, host: undefined });
  return podman.getImage(IMAGE).inspect().then(() => '', (err: Error) => err.message);
};

export async function run(): Promise<string[]> {
  const docker = new Docker(process.env.DOCKER_HOST ? undefined : { socketPath: '/var/run/docker.sock' });
  const missing = await docker.getImage(IMAGE).inspect().then(() => '', (err: Error) => err.message);
  if (missing) return [`submit → first log line (container): skipped (${IMAGE}: ${missing}; run scripts/build-test-images.sh)`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-container-'));
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'train.py'), `print(${JSON.stringify(FIRST_LINE)}, flush=True)\n`);
  fs.writeFileSync(
    path.join(ws, 'trainjob.yaml'),
    `apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: first-line\nspec:\n  runtimeRef:\n    name: torch-distributed\n  trainer:\n    image: ${IMAGE}\n    command: ["python3", "train.py"]\n    numNodes: 1\n    numProcPerNode: 1\n`,
  );
  const engine = createEngine({ dataDir: path.join(dir, 'engine'), env: { PATH: process.env.PATH, HOME: os.homedir() } });
  try {
    const baseline = median(`docker run --rm ${IMAGE} python3 train.py → first stdout line`, await timed(RUNS, 1, () => runFirstLine('docker', ws)));
    const subject = median('jobs.run --backend container → line in a jobs.log event', await timed(RUNS, 1, () => engineFirstLine(engine, ws, FIRST_LINE, 'container')));
    const lines = [ratioLine(subject, baseline)];
    const podmanMissing = await podmanReady();
    if (podmanMissing) return [...lines, `on Podman: skipped (${PODMAN_SOCKET}: ${podmanMissing}; see .ci/run)`];
    const chosen = await engine.dispatch('settings.update', { containerSocket: PODMAN_SOCKET });
    if ('error' in chosen) throw new Error(chosen.error.message);
    const podmanBase = median(`podman run --rm ${IMAGE} python3 train.py → first stdout line`, await timed(RUNS, 1, () => runFirstLine('podman', ws)));
    const podmanSubject = median('jobs.run --backend container on Podman → line in a jobs.log event', await timed(RUNS, 1, () => engineFirstLine(engine, ws, FIRST_LINE, 'container')));
    return [...lines, ratioLine(podmanSubject, podmanBase)];
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The container variant with a real Docker engine: the same registered template model served
 * by MLServer inside `kfd-test/mlserver:bookworm` (scripts/build-test-images.sh mlserver: the
 * training versions of Debian's scikit-learn), its V2 port published on 127.0.0.1 only; and an
 * image without those versions refused with every difference named.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { hasTorchImage, testDocker, TORCH_IMAGE } from '../backends/container/test-support/docker-parts.js';
import { requirePart, tempDir } from '../jobs/test-support/parts.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { reportMissingPart } from '../test-support/real-parts.js';
import { REPO_ROOT } from '../jobs/test-support/workspaces.js';
import { digitsRequest, heldOutDigits, modelsEnv, trainTemplateModel } from './test-support/models-parts.js';

export const MLSERVER_IMAGE = 'kfd-test/mlserver:bookworm';
const PLAIN_IMAGE = 'kfd-test/python:bookworm';

async function imagesHere(): Promise<boolean> {
  const docker = testDocker();
  try {
    await docker.ping();
  } catch (err) {
    return reportMissingPart('Docker', `no Docker engine answers (${(err as Error).message}); start dockerd`);
  }
  for (const image of [MLSERVER_IMAGE, PLAIN_IMAGE]) {
    const there = await docker.getImage(image).inspect().then(() => true, () => false);
    if (!there) return reportMissingPart(`the test image ${image}`, `${image} is missing; build it with \`bash scripts/build-test-images.sh ${image.includes('mlserver') ? 'mlserver' : 'python'}\``);
  }
  return true;
}

const ready = requirePart('scikit-learn + joblib', 'import sklearn, joblib') && (await imagesHere());
const torchImage = ready && (await hasTorchImage());

let t: TestEngine | undefined;
afterAll(async () => {
  // Servers outlive engines by design; a failed test must not leave its containers running.
  for (const d of (await t?.call('models.servers.list', { active: true }).catch(() => [])) ?? []) await t!.call('models.servers.stop', { id: d.id }).catch(() => undefined);
  await t?.close();
});

describe.runIf(ready)('a registered model served in a container (real Docker)', () => {
  it('serves in kfd-test/mlserver on a loopback port: the answers equal the model\'s predict; stop removes the container', async () => {
    t = TestEngine.open(path.join(tempDir('ct-serve'), 'kfd'), modelsEnv());
    const { jobId } = await trainTemplateModel(t, tempDir('ws'));
    const v = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    const a = v.artifacts[0]!;
    const truth = heldOutDigits(path.join(a.localPath, a.modelFile), 40);
    const started = await t.call('models.serve', { model: 'digits:v1', backend: 'container', image: MLSERVER_IMAGE });
    const served = await waitFor('the container server to be Ready', async () => {
      const d = await t!.call('models.servers.get', { id: started.id });
      if (d.state === 'Failed') throw new Error(d.message);
      return d.state === 'Ready' ? d : null;
    }, 180_000, 300);
    expect(served).toMatchObject({ backend: 'container', url: `http://127.0.0.1:${served.port}` });
    expect(served.manifest).toContain(`kubeflow-desktop/serving-image: ${MLSERVER_IMAGE}`);

    // The port is published on loopback only.
    const container = testDocker().getContainer(`kfd-${served.jobId}-node-0`);
    const info = await container.inspect();
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(served.port) }] });

    const res = await t.call('models.servers.infer', { id: served.id, request: digitsRequest(truth.x) });
    expect(res.status).toBe(200);
    expect((res.response as { outputs: { data: number[] }[] }).outputs[0]!.data).toEqual(truth.predict);

    await t.call('models.servers.stop', { id: served.id });
    await t.waitForStatus(served.jobId!, undefined, 60_000);
    expect((await t.call('models.servers.get', { id: served.id })).state).toBe('Stopped');
    await waitFor('the server container to be removed', async () => !(await container.inspect().then(() => true, () => false)), 60_000, 500);
  }, 400_000);

  it('refuses to serve in an image without the training versions, naming each difference', async () => {
    t ??= TestEngine.open(path.join(tempDir('ct-mismatch'), 'kfd'), modelsEnv());
    if (!(await t.call('models.list', {})).length) {
      const { jobId } = await trainTemplateModel(t, tempDir('ws2'));
      await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    }
    const v = await t.call('models.version', { model: 'digits' });
    const d = await t.call('models.serve', { model: 'digits', backend: 'container', image: PLAIN_IMAGE });
    const failed = await waitFor('the serve to fail', async () => {
      const x = await t!.call('models.servers.get', { id: d.id });
      return x.state === 'Failed' ? x : x.state === 'Ready' ? Promise.reject(new Error('served with other versions')) : null;
    }, 120_000, 300);
    expect(failed.message).toContain(`scikit-learn ${v.trainingEnv.packages['scikit-learn']} (trained) vs not installed (serving)`);
    expect(failed.message).toMatch(/it lacks mlserver, mlserver-sklearn/);
  }, 300_000);

  it.runIf(torchImage)('a model trained in a container: its library versions are read in the job\'s image', async () => {
    const te = TestEngine.open(path.join(tempDir('ct-trained'), 'kfd'), modelsEnv());
    try {
      const ws = tempDir('ws3');
      fs.cpSync(path.join(REPO_ROOT, 'templates', 'sklearn'), ws, { recursive: true });
      const yaml = fs.readFileSync(path.join(ws, 'trainjob.yaml'), 'utf8').replace(/image: .*/, `image: ${TORCH_IMAGE}`);
      fs.writeFileSync(path.join(ws, 'trainjob.yaml'), yaml);
      const job = await te.call('jobs.run', { path: ws, backend: 'container' });
      expect((await te.waitForStatus(job.id, undefined, 180_000)).status).toBe('Complete');
      const v = await te.call('models.register', { name: 'digits-ct', jobId: job.id, path: 'model.joblib', format: 'sklearn' });
      expect(v.trainingEnv).toMatchObject({ python: null, pythonVersion: expect.stringMatching(/^3\./), source: `recorded from python3 in the job's image ${TORCH_IMAGE}` });
      expect(v.trainingEnv.packages).toMatchObject({ 'scikit-learn': expect.any(String), numpy: expect.any(String), torch: expect.any(String) });
      expect(v.signature.inputs).toEqual([{ name: 'input-0', datatype: 'FP64', shape: [-1, 64] }]);
      // No inspection container is left behind.
      expect(await testDocker().listContainers({ all: true, filters: { label: ['org.kubeflow.desktop.purpose=model-inspect'] } })).toEqual([]);
    } finally {
      await te.close();
    }
  }, 400_000);
});

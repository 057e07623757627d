/**
 * Pushing a version to a Kubeflow Model Registry, against fake-model-registry (a stand-in for
 * the real server, which cannot be built here) that checks every request and response against
 * the official OpenAPI document in ../shared/third_party/kubeflow-hub/model-registry.yaml.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushCommand } from '../../cli/commands/models.js';
import { tempDir } from '../jobs/test-support/parts.js';
import { TestEngine } from '../jobs/test-support/test-engine.js';
import { reportMissingPart } from '../test-support/real-parts.js';
import { registryMissing, startRegistry } from '../../e2e/registry/registry.js';
import { requireDocker, TEST_IMAGE } from '../backends/container/test-support/docker-parts.js';
import { startFakeModelRegistry, type FakeModelRegistry } from './test-support/fake-model-registry.js';
import { modelsEnv, thirdPartyFile } from './test-support/models-parts.js';
import { OpenApiValidator } from './test-support/openapi-validator.js';

const spec = thirdPartyFile('kubeflow-hub/model-registry.yaml');
if (!spec.file) reportMissingPart('the Model Registry OpenAPI document', spec.reason);
const TOKEN = 'mr-token-5f2c1e';
const dockerHere = await requireDocker();

describe.runIf(Boolean(spec.file))('push to a Model Registry (fake-model-registry, checked against the OpenAPI spec)', () => {
  let registry: FakeModelRegistry;
  let t: TestEngine;
  beforeAll(async () => {
    registry = await startFakeModelRegistry(spec.file!, TOKEN);
    t = TestEngine.open(path.join(tempDir('push'), 'kfd'), modelsEnv());
    const dir = tempDir('model');
    fs.writeFileSync(path.join(dir, 'model.joblib'), 'not really a model, but bytes to push');
    await t.call('models.register', { name: 'digits', path: path.join(dir, 'model.joblib'), format: 'sklearn', description: 'digits classifier', customProperties: { team: { metadataType: 'MetadataStringValue', string_value: 'ml' }, epochs: { metadataType: 'MetadataIntValue', int_value: '15' } } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await registry.close();
  });

  it('the validator rejects what the spec rejects (so a clean run means something)', () => {
    const v = new OpenApiValidator(spec.file!);
    expect(v.check('#/components/schemas/ModelVersionCreate', { name: 'v1', registeredModelId: '1' })).toEqual([]);
    expect(v.check('#/components/schemas/ModelVersionCreate', { name: 'v1' }).join()).toMatch(/registeredModelId/);
    expect(v.check('#/components/schemas/RegisteredModelCreate', { name: 'm', customProperties: { x: { metadataType: 'MetadataStringValue', double_value: 1 } } })).not.toEqual([]);
    expect(v.check('#/components/schemas/Artifact', { artifactType: 'model-artifact', uri: 's3://b/m', modelFormatName: 5 }).join()).toMatch(/modelFormatName/);
    expect(v.check('#/components/schemas/Artifact', { artifactType: 'model-artifact', uri: 's3://b/m', modelFormatName: 'sklearn' })).toEqual([]);
    expect(v.requestSchema('POST', '/api/model_registry/v1alpha3/model_versions/7/artifacts')).toBe('#/components/schemas/Artifact');
  });

  it('refuses a uri a cluster cannot read, saying what to upload', async () => {
    const noUri = await t.callError('models.push', { model: 'digits:v1', registry: registry.url });
    expect(noUri.message).toMatch(/only on this machine .*Upload the folder .*models\/artifacts\/.* \(model\.joblib\)/);
    expect((await t.callError('models.push', { model: 'digits:v1', registry: registry.url, uri: 'file:///tmp/x' })).message).toMatch(/a cluster cannot read it/);
    expect(registry.requests).toHaveLength(0);
  });

  it('registered model → version → artifact, every request and response on the spec; the token only in the header', async () => {
    await t.call('models.settings.set', { registryEndpoint: registry.url, token: TOKEN });
    const r = await t.call('models.push', { model: 'digits:v1', uri: 's3://models/digits/v1/' });
    expect(registry.violations).toEqual([]);
    expect(r).toMatchObject({ registry: registry.url, uri: 's3://models/digits/v1/' });
    expect(r.notes.join(' ')).toMatch(/make sure model\.joblib .* are uploaded there/);
    expect(registry.requests.map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`)).toEqual([
      'GET /api/model_registry/v1alpha3/registered_model',
      'POST /api/model_registry/v1alpha3/registered_models',
      'GET /api/model_registry/v1alpha3/model_version',
      'POST /api/model_registry/v1alpha3/model_versions',
      `POST /api/model_registry/v1alpha3/model_versions/${r.modelVersionId}/artifacts`,
    ]);
    for (const q of registry.requests) {
      expect(q.authorization).toBe(`Bearer ${TOKEN}`);
      expect(`${q.path} ${JSON.stringify(q.body ?? '')}`).not.toContain(TOKEN);
    }
    expect(registry.models).toEqual([expect.objectContaining({ id: r.registeredModelId, name: 'digits', description: 'digits classifier' })]);
    expect(registry.versions).toEqual([expect.objectContaining({ id: r.modelVersionId, name: 'v1', registeredModelId: r.registeredModelId, customProperties: expect.objectContaining({ team: { metadataType: 'MetadataStringValue', string_value: 'ml' }, epochs: { metadataType: 'MetadataIntValue', int_value: '15' } }) })]);
    expect(registry.artifacts).toEqual([expect.objectContaining({ id: r.artifactId, artifactType: 'model-artifact', uri: 's3://models/digits/v1/', modelFormatName: 'sklearn' })]);
    expect((await t.call('models.version', { model: 'digits:v1' })).pushes).toEqual([expect.objectContaining({ registry: registry.url, modelVersionId: r.modelVersionId, uri: 's3://models/digits/v1/' })]);

    // Again (another uri): the same remote version, its artifact updated in place.
    const again = await t.call('models.push', { model: 'digits:v1', uri: 'pvc://models/digits-v1' });
    expect(registry.violations).toEqual([]);
    expect([again.registeredModelId, again.modelVersionId, again.artifactId]).toEqual([r.registeredModelId, r.modelVersionId, r.artifactId]);
    expect(again.notes[0]).toMatch(/already existed there/);
    expect(registry.artifacts).toHaveLength(1);
    expect(registry.artifacts[0]!.uri).toBe('pvc://models/digits-v1');
  });

  it('a wrong token: the registry\'s 401, with where to set the token', async () => {
    await t.call('models.settings.set', { token: 'wrong' });
    const err = await t.callError('models.push', { model: 'digits:v1', uri: 's3://models/digits/v1/' });
    expect(err).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/answered 401: missing or wrong bearer token\. Check the registry token in Settings/) });
    await t.call('models.settings.set', { token: TOKEN });
  });

  it('kfd models push N:V --registry <url> --uri …', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const deps = { dispatch: t.engine.dispatch, subscribe: () => () => undefined, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
    expect(await pushCommand('digits', { registry: registry.url, uri: 's3://x/y/' }, deps)).toBe(1);
    expect(err.join('')).toMatch(/Name the version to push: digits:<version>/);
    expect(await pushCommand('digits:v1', { registry: registry.url, uri: 's3://x/y/' }, deps)).toBe(0);
    expect(out.join('')).toMatch(new RegExp(`^${registry.url}: registered model \\d+, version \\d+, artifact \\d+ \\(s3://x/y/\\)`));
    expect(registry.violations).toEqual([]);
  });

  // The modelcar path: the image is built on this machine's engine and pushed to a real registry (e2e/registry).
  const noRegistry = registryMissing();
  if (noRegistry) reportMissingPart('the test registry', noRegistry);
  it.runIf(!noRegistry && dockerHere)('--oci: builds the model into an image (files under /models), pushes it, and registers oci://<image>', async () => {
    const reg = await startRegistry();
    const image = `${reg.address}/models/digits:v1`;
    try {
      const progress: string[] = [];
      const off = t.engine.events.subscribe((event, payload) => event === 'models.pushProgress' && progress.push((payload as { message: string }).message));
      const r = await t.call('models.push', { model: 'digits:v1', registry: registry.url, oci: image, ociBase: TEST_IMAGE });
      off();
      expect(registry.violations).toEqual([]);
      expect(r.uri).toBe(`oci://${image}`);
      expect(r.notes.join(" ")).toMatch(/the image just pushed \(model\.joblib under \/models\)/);
      expect(await reg.tags('models/digits')).toEqual(['v1']);
      expect(registry.artifacts[0]!.uri).toBe(`oci://${image}`);
      expect(progress.join('\n')).toMatch(/Building .*models\/digits:v1/);
      // What a cluster pulls: the model under /models.
      expect(execFileSync('docker', ['run', '--rm', image, 'cat', '/models/model.joblib'], { encoding: 'utf8' })).toBe('not really a model, but bytes to push');
      expect((await t.callError('models.push', { model: 'digits:v1', oci: 'no-registry-here', registry: registry.url })).message).toMatch(/--oci: "no-registry-here" is not an image reference/);
    } finally {
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
      await reg.stop();
    }
  }, 300_000);
});

/**
 * Promote an InferenceService to a cluster with KServe, against the harness's real
 * kube-apiserver (stage 1). KServe's real CRDs are applied from this test (read from
 * ../shared/third_party/kserve); there is no KServe controller here, so where it would write
 * status (conditions, URL) the test writes it through the status subresource, as it does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { yamlDocsWithRefs } from '../../e2e/k8s-harness/manifests.js';
import { promoteFile } from '../../cli/commands/promote-file.js';
import { waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { engineWith, needHarness, useControlPlane } from '../backends/kubernetes/test-support/k8s-parts.js';
import { isvcPath } from './isvc-promote.js';
import { thirdPartyFile } from './test-support/models-parts.js';

const { missing, cp } = useControlPlane(1);
const crds = ['inferenceservices', 'servingruntimes', 'clusterservingruntimes'].map((n) => thirdPartyFile(`kserve/serving.kserve.io_${n}.yaml`));
const noCrds = crds.find((c) => !c.file)?.reason ?? null;
if (noCrds) reportMissingPart('the KServe CRDs', noCrds);

function cli(t: ReturnType<typeof engineWith>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, deps: { dispatch: t.engine.dispatch, subscribe: () => () => undefined, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } } };
}

describe.runIf(!noCrds)('promote an InferenceService (real kube-apiserver, KServe CRDs)', () => {
  it('probes for KServe, dry-runs server-side against its real schema, applies with our field manager, shows conditions and URL', async (ctx) => {
    if (missing) return needHarness(ctx.skip, missing);
    const te = engineWith(cp().kubeconfigPath);
    try {
      const dir = makeTempDir('models', 'promote');
      fs.writeFileSync(path.join(dir, 'model.joblib'), 'bytes');
      await te.call('models.register', { name: 'digits', path: path.join(dir, 'model.joblib'), format: 'sklearn' });
      const { manifest } = await te.call('models.inferenceService', { model: 'digits:v1' });
      const file = path.join(dir, 'inferenceservice.yaml');
      fs.writeFileSync(file, manifest);

      // No KServe yet: refused, saying so.
      const before = await te.call('models.promote.preview', { manifest, target: 'kfd-harness' });
      expect(before).toMatchObject({ kserveInstalled: false, blocked: expect.stringMatching(/has no KServe: the CRD inferenceservices\.serving\.kserve\.io/) });

      // KServe's CRDs, as a cluster admin installs them.
      const kc = cp().client;
      for (const c of crds) for (const d of yamlDocsWithRefs(c.file!)) await kc.applyYaml(d.text, d.ref, { fieldManager: 'kserve-install', force: true });
      await waitFor('the InferenceService CRD to serve', async () => kc.get('/apis/serving.kserve.io/v1beta1/inferenceservices', { limit: 1 }).then(() => true, () => false), 60_000, 250);

      // The local file:// cannot be read by a cluster: the dry run says what to do.
      const c1 = cli(te);
      expect(await promoteFile(file, { context: 'kfd-harness', dryRun: true }, c1.deps)).toBe(1);
      expect(c1.err.join('')).toMatch(/Server-side dry run: accepted[\s\S]*promote would be refused: storageUri file:\/\/.* a cluster cannot read it/);

      // With a cluster-readable uri the real schema accepts it and nothing is created.
      const c2 = cli(te);
      expect(await promoteFile(file, { context: 'kfd-harness', dryRun: true, storageUri: 's3://models/digits/v1/' }, c2.deps)).toBe(0);
      expect(c2.out.join('')).toMatch(/storageUri: s3:\/\/models\/digits\/v1\/\n/);
      expect(c2.out.join('')).toMatch(/namespace: default/);
      expect(c2.err.join('')).toMatch(/Dry run: nothing was applied/);
      await expect(kc.get(isvcPath('default', 'digits-v1'))).rejects.toThrow(/404/);

      // A field KServe's schema does not have is refused by the API server's dry run.
      const bogus = manifest.replace('protocolVersion: v2', 'protocolVersion: v2\n      replicasPlease: 3');
      const refused = await te.call('models.promote.preview', { manifest: bogus, target: 'kfd-harness', storageUri: 's3://models/digits/v1/' });
      expect(refused.dryRun).toMatchObject({ ok: false, message: expect.stringMatching(/\.spec\.predictor\.model\.replicasPlease: field not declared in schema/) });
      expect(refused.blocked).toMatch(/The cluster refused it/);

      // Apply: server-side, field manager kubeflow-desktop; recorded as a cluster deployment of digits:v1.
      const c3 = cli(te);
      expect(await promoteFile(file, { context: 'kfd-harness', namespace: 'default', storageUri: 's3://models/digits/v1/' }, c3.deps)).toBe(0);
      const id = c3.out.join('').trim();
      const obj = await kc.get<{ metadata: { managedFields: { manager: string; operation: string }[] }; spec: { predictor: { model: { storageUri: string; modelFormat: { name: string } } } } }>(isvcPath('default', 'digits-v1'));
      expect(obj.metadata.managedFields.map((f) => `${f.manager}/${f.operation}`)).toContain('kubeflow-desktop/Apply');
      expect(obj.spec.predictor.model).toMatchObject({ storageUri: 's3://models/digits/v1/', modelFormat: { name: 'sklearn' } });
      const applied = await te.call('models.servers.get', { id });
      expect(applied).toMatchObject({ kind: 'cluster', state: 'Applied', target: 'kubeconfig:kfd-harness', namespace: 'default', modelName: 'digits', versionName: 'v1' });

      // KServe's controller would report readiness; written here through the status subresource.
      const status = { url: 'http://digits-v1.default.example.com', conditions: [{ type: 'PredictorReady', status: 'True', lastTransitionTime: new Date().toISOString() }, { type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] };
      await kc.request('PATCH', `${isvcPath('default', 'digits-v1')}/status`, { body: stringify({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'digits-v1', namespace: 'default' }, status }), contentType: 'application/apply-patch+yaml', query: { fieldManager: 'fake-kserve-controller', force: true } });
      const ready = await te.call('models.deployments.refresh', { id });
      expect(ready).toMatchObject({ state: 'Ready', url: 'http://digits-v1.default.example.com', conditions: [{ type: 'PredictorReady', status: 'True' }, { type: 'Ready', status: 'True' }] });
      expect((await te.call('models.version', { model: 'digits:v1' })).deployments.map((d) => d.id)).toContain(id);

      // A file of a kind promote does not know is refused, naming the kinds it does.
      const other = path.join(dir, 'cm.yaml');
      fs.writeFileSync(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
      const c4 = cli(te);
      expect(await promoteFile(other, { context: 'kfd-harness' }, c4.deps)).toBe(1);
      expect(c4.err.join('')).toMatch(/kind "ConfigMap" cannot be promoted; promote a TrainJob, InferenceService or Experiment file/);
    } finally {
      await te.close();
    }
  }, 300_000);
});

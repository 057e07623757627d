/**
 * Promote to Katib against a real kube-apiserver (the k8s harness, stage 1) with the real Katib
 * v0.19 CRDs, taken from the `github.com/kubeflow/katib` module zip (Go module cache or GOPROXY,
 * checked against its go.sum hash) and applied from this test. No Katib controller runs here,
 * so the status the promote reads back is written by the test, as Katib's controller would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlDocsWithRefs } from '../../e2e/k8s-harness/manifests.js';
import { fetchModule, extractSubtree, readGoEnv } from '../../local-cluster/assets/module-source.js';
import type { ModulePin } from '../../local-cluster/assets/pins.js';
import { kfd } from '../jobs/test-support/kfd-cli.js';
import { waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { engineWith, needHarness, useControlPlane } from '../backends/kubernetes/test-support/k8s-parts.js';
import { writeTuneWorkspace } from './test-support/tune-workspace.js';

/** Katib v0.19.0, the first release whose trials may be Kubeflow TrainJobs. */
const KATIB: ModulePin = { id: 'katib' as ModulePin['id'], module: 'github.com/kubeflow/katib', version: 'v0.19.0', h1: 'h1:uexj303nRkGtTFtTkY4McCt6J0TCtnerX3i3E7TRA5M=' };
const TARGET = 'kfd-harness';

const { missing, cp } = useControlPlane(1);
let crdError: string | null = null;
let installed = false;

/** Installs Katib's CRDs once (after the "no Katib" test has seen the cluster without them). */
async function installKatibCrds(): Promise<void> {
  if (installed || crdError) return;
  installed = true;
  try {
    const dir = makeTempDir('experiments', 'katib-crds');
    const mod = await fetchModule(KATIB, await readGoEnv(process.env));
    await extractSubtree(mod.zip, KATIB, 'manifests/v1beta1/components/crd', dir);
    const docs = ['experiment.yaml', 'trial.yaml', 'suggestion.yaml'].flatMap((f) => yamlDocsWithRefs(path.join(dir, f)));
    const kc = cp().client;
    for (const d of docs) await kc.applyYaml(d.text, d.ref, { fieldManager: 'kfd-test', force: true });
    await waitFor('Katib experiments servable', async () => {
      try {
        await kc.get('/apis/kubeflow.org/v1beta1/namespaces/default/experiments', { limit: 1 });
        return true;
      } catch {
        return false;
      }
    }, 60_000, 250);
  } catch (err) {
    crdError = `could not install Katib's CRDs from ${KATIB.module}@${KATIB.version}: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw err;
  }
}

describe('promote an Experiment to Katib (real API server, real Katib v0.19 CRDs)', () => {
  it('a cluster without Katib is named as such, and nothing is applied', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const ws = writeTuneWorkspace(path.join(makeTempDir('experiments', 'nokatib'), 'ws'));
    const te = engineWith(cp().kubeconfigPath);
    try {
      const err = await te.callError('experiments.promote', { source: ws, target: TARGET, dryRun: true });
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/has no Katib: the API kubeflow\.org\/v1beta1 experiments is not served there/);
    } finally {
      await te.close();
    }
  }, 60_000);

  it('dry-runs on the server, then applies the same Experiment with our field manager; reads trials and currentOptimalTrial back', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    await installKatibCrds();
    if (crdError) return needHarness(t.skip, crdError);
    const dir = makeTempDir('experiments', 'promote');
    const ws = writeTuneWorkspace(path.join(dir, 'ws'), { maxTrialCount: 6, parallel: 2 });
    const te = engineWith(cp().kubeconfigPath);
    try {
      const dry = await te.call('experiments.promote', { source: ws, target: TARGET, dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, namespace: 'default', name: 'digits-tune', conditions: [] });
      expect((await cp().client.get<{ items: unknown[] }>('/apis/kubeflow.org/v1beta1/namespaces/default/experiments')).items).toEqual([]);

      const applied = await te.call('experiments.promote', { source: `${ws}/experiment.yaml`, target: TARGET, dryRun: false });
      expect(applied.dryRun).toBe(false);
      const onCluster = await cp().client.get<{ metadata: { managedFields: { manager: string }[] }; spec: Record<string, unknown> }>('/apis/kubeflow.org/v1beta1/namespaces/default/experiments/digits-tune');
      expect(onCluster.metadata.managedFields.map((f) => f.manager)).toContain('kubeflow-desktop');
      // What was applied is the file as written (the API server defaults nothing we asserted on).
      const file = parse(fs.readFileSync(`${ws}/experiment.yaml`, 'utf8')) as { spec: Record<string, unknown> };
      expect(onCluster.spec.parameters).toEqual(file.spec.parameters);
      expect(onCluster.spec.trialTemplate).toMatchObject(file.spec.trialTemplate as object);

      // Katib's controller would now write status and trials; the test writes them as it does.
      await cp().client.apply(
        {
          apiVersion: 'kubeflow.org/v1beta1',
          kind: 'Experiment',
          metadata: { name: 'digits-tune', namespace: 'default' },
          status: {
            conditions: [{ type: 'Running', status: 'True', reason: 'ExperimentRunning', message: 'Experiment is running', lastUpdateTime: '2026-12-05T10:00:00Z', lastTransitionTime: '2026-12-05T10:00:00Z' }],
            currentOptimalTrial: { bestTrialName: 'digits-tune-abc12345', parameterAssignments: [{ name: 'lr', value: '0.011' }], observation: { metrics: [{ name: 'accuracy', latest: '0.97', min: '0.5', max: '0.97' }] } },
          },
        } as never,
        { fieldManager: 'katib-controller', subresource: 'status', force: true },
      );
      const status = await te.call('experiments.clusterStatus', { target: TARGET, name: 'digits-tune' });
      // The same through the command line.
      const cliEnv = { KUBECONFIG: cp().kubeconfigPath, HOME: dir };
      const cliDry = await kfd(path.join(dir, 'cli-data'), ['experiment', 'promote', ws, '--context', TARGET, '--dry-run'], 60_000, cliEnv);
      expect(cliDry.code, cliDry.stderr).toBe(0);
      expect(cliDry.stdout).toMatch(/^# Dry run: kubeconfig:kfd-harness accepted the Experiment default\/digits-tune; nothing was applied\.\napiVersion: kubeflow.org\/v1beta1/);
      // `kfd promote <file>` picks the Experiment promote by the file's kind.
      const byKind = await kfd(path.join(dir, 'cli-data'), ['promote', path.join(ws, 'experiment.yaml'), '--context', TARGET, '--dry-run'], 60_000, cliEnv);
      expect(byKind.code, byKind.stderr).toBe(0);
      expect(byKind.stdout).toBe(cliDry.stdout);
      const cliStatus = await kfd(path.join(dir, 'cli-data'), ['experiment', 'status', 'digits-tune', '--context', TARGET, '--json'], 60_000, cliEnv);
      expect(JSON.parse(cliStatus.stdout)).toMatchObject({ currentOptimalTrial: { bestTrialName: 'digits-tune-abc12345' } });
      expect(status.conditions).toEqual([{ type: 'Running', status: 'True', reason: 'ExperimentRunning', message: 'Experiment is running' }]);
      expect(status.currentOptimalTrial).toEqual({ bestTrialName: 'digits-tune-abc12345', parameterAssignments: [{ name: 'lr', value: '0.011' }], metrics: [{ name: 'accuracy', latest: '0.97' }] });
    } finally {
      await te.close();
    }
  }, 120_000);

  it("the server's refusal comes back with the field it names", async (t) => {
    if (missing) return needHarness(t.skip, missing);
    await installKatibCrds();
    if (crdError) return needHarness(t.skip, crdError);
    const dir = makeTempDir('experiments', 'promote-bad');
    // Katib's CRD schema is open (its webhook, not run here, checks the spec), so the API server
    // judges the metadata: a label value with a space passes our parser and fails the dry run.
    const ws = writeTuneWorkspace(path.join(dir, 'ws'));
    fs.writeFileSync(`${ws}/experiment.yaml`, fs.readFileSync(`${ws}/experiment.yaml`, 'utf8').replace('  name: digits-tune\n', '  name: digits-tune\n  labels:\n    team: "data science"\n'));
    const te = engineWith(cp().kubeconfigPath);
    try {
      const err = await te.callError('experiments.promote', { source: ws, target: TARGET, dryRun: true });
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(/refused the Experiment digits-tune.*metadata\.labels/);
    } finally {
      await te.close();
    }
  }, 60_000);
});

/**
 * The add-on install for real: the pinned Trainer and JobSet modules from the Go module cache
 * (h1-checked), rendered with the real kubectl the harness builds, applied with that kubectl to
 * the harness's real kube-apiserver (stage 1: no nodes, so Deployments are created but never
 * become Available; the create's waits are covered with fakes). The webhook race is real too: a
 * runtime that Trainer's webhook must validate fails while no controller serves it, and is
 * retried until the webhook is gone.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessMissing, startControlPlane, type ControlPlane } from '../../e2e/k8s-harness/harness.js';
import { fetchModule, readGoEnv } from '../assets/module-source.js';
import { JOBSET, TRAINER } from '../assets/pins.js';
import { renderAddonManifests, type RenderedManifests } from '../assets/render-manifests.js';
import { createRunner } from '../cli/runner.js';
import { getJson, kubectl } from '../cli/kubectl-cli.js';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { harnessKubectlPath, haveParts } from '../test-support/real-tools.js';
import { isInstallRace } from './apply-retry.js';
import { applyJobset, applyRuntimes, applyTrainer, applyWithRetry } from './install-addons.js';
import { imagesOf, parseDocs, type Doc } from './manifests.js';

const ready = haveParts('the k8s harness (stage 1)', harnessMissing(1));
let cp: ControlPlane | undefined;
beforeAll(async () => {
  if (ready) cp = await startControlPlane({ stage: 1, quiet: true });
}, 180_000);
afterAll(() => cp?.stop());

async function setup() {
  const kubectlBin = await harnessKubectlPath();
  const env = { ...process.env, PATH: `${path.dirname(kubectlBin)}${path.delimiter}${process.env.PATH ?? ''}` };
  const goEnv = await readGoEnv(env);
  const [trainer, jobset] = await Promise.all([fetchModule(TRAINER, goEnv), fetchModule(JOBSET, goEnv)]);
  const rendered = await renderAddonManifests({ trainer, jobset }, kubectlBin, { env });
  const runner = createRunner(env, makeTempDir('cluster', 'harness'), new AbortController().signal, null);
  return { env, rendered, runner, kubeconfig: cp!.kubeconfigPath };
}

let ctx: Awaited<ReturnType<typeof setup>> | undefined;
const docsOf = (r: RenderedManifests) => ({ jobset: parseDocs(r.jobset), trainer: parseDocs(r.trainer), runtimes: parseDocs(r.runtimes) });

describe.runIf(ready)('JobSet + Trainer install on a real kube-apiserver (k8s harness stage 1)', () => {
  it('renders the pinned release overlays offline: JobSet in Trainer\'s namespace, Trainer without its remote JobSet', async () => {
    ctx ??= await setup();
    const d = docsOf(ctx.rendered);
    expect(d.jobset.filter((x) => x.kind === 'Deployment').map((x) => `${x.metadata!.namespace}/${x.metadata!.name}`)).toEqual(['kubeflow-system/jobset-controller-manager']);
    expect(d.jobset.some((x) => x.kind === 'Namespace')).toBe(false);
    expect(d.trainer.filter((x) => x.kind === 'CustomResourceDefinition').map((x) => x.metadata!.name).sort()).toEqual([
      'clustertrainingruntimes.trainer.kubeflow.org',
      'trainingruntimes.trainer.kubeflow.org',
      'trainjobs.trainer.kubeflow.org',
    ]);
    expect(d.trainer.some((x) => x.kind === 'CustomResourceDefinition' && x.metadata!.name!.includes('jobset'))).toBe(false);
    // Trainer's image patches applied (release tags, not the kustomize placeholders).
    expect(imagesOf(d.trainer)).toEqual([expect.stringMatching(/\/trainer-controller-manager:v2\.3\.0$/)]);
    expect(imagesOf(d.jobset)).toEqual([expect.stringMatching(/\/jobset:v0\.12\.0$/)]);
    expect(d.runtimes.map((x) => x.metadata!.name)).toContain('torch-distributed');
  }, 120_000);

  it('applies JobSet, Trainer and the GPU-patched runtimes with server-side apply', async () => {
    ctx ??= await setup();
    const { runner, kubeconfig, rendered } = ctx;
    const d = docsOf(rendered);
    const install = { runner, kubeconfig, waitSeconds: 60, retryDelayMs: 500 };
    // The harness pre-installs upstream's base runtimes, without the overlay's webhook-validation
    // label; Trainer's webhook would then check every update of them. A fresh cluster has none.
    await kubectl(runner, kubeconfig, ['delete', 'clustertrainingruntimes', '--all']);
    await applyJobset(install, d.jobset, d.trainer);
    expect(await applyTrainer(install, d.trainer)).toBe(3);
    await applyRuntimes(install, d.runtimes, { gpu: true, shmSize: '2Gi' });

    const torch = await getJson<Doc>(runner, kubeconfig, ['clustertrainingruntime', 'torch-distributed']);
    const pod = (torch['spec'] as { template: { spec: { replicatedJobs: { template: { spec: { template: { spec: Record<string, unknown> } } } }[] } } }).template.spec.replicatedJobs[0]!.template.spec.template.spec;
    expect(pod['runtimeClassName']).toBe('nvidia');
    expect(pod['volumes']).toEqual([{ name: 'kfd-dshm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }]);
    expect((pod['containers'] as { volumeMounts: unknown[] }[])[0]!.volumeMounts).toEqual([{ name: 'kfd-dshm', mountPath: '/dev/shm' }]);
    const deployments = await getJson<{ items: Doc[] }>(runner, kubeconfig, ['deployments', '-n', 'kubeflow-system']);
    expect(deployments.items.map((x) => x.metadata!.name).sort()).toEqual(['jobset-controller-manager', 'kubeflow-trainer-controller-manager']);
    const managed = (await kubectl(runner, kubeconfig, ['get', 'deployment', '-n', 'kubeflow-system', 'kubeflow-trainer-controller-manager', '-o', 'jsonpath={.metadata.managedFields[*].manager}'], undefined, true)).stdout;
    expect(managed).toContain('kubeflow-desktop');
    // Applying again changes nothing and does not fail (a second create, or a retry after a race).
    await applyRuntimes(install, d.runtimes, { gpu: true, shmSize: '2Gi' });
  }, 180_000);

  it('retries through the webhook race (Trainer\'s webhook registered, no controller serving it) until it heals', async () => {
    ctx ??= await setup();
    const { runner, kubeconfig } = ctx;
    const validated: Doc = {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'ClusterTrainingRuntime',
      metadata: { name: 'kfd-validated' }, // no webhook-validation label: Trainer's webhook must see it
      spec: { mlPolicy: { numNodes: 1, torch: {} }, template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: { spec: { containers: [{ name: 'node', image: 'busybox' }] } } } } }] } } },
    };
    const errors: string[] = [];
    await applyWithRetry(
      {
        runner,
        kubeconfig,
        waitSeconds: 6,
        retryDelayMs: 500,
      },
      [validated],
      'runtime',
    ).catch((e: Error & { stderr?: string }) => errors.push(e.stderr ?? e.message));
    // With nothing serving the webhook, the apply cannot succeed: it kept retrying the race until the deadline.
    expect(errors).toHaveLength(1);
    expect(isInstallRace(errors[0]!)).toBe(true);
    expect(errors[0]).toContain('failed calling webhook "validator.clustertrainingruntime.trainer.kubeflow.org"');

    // Now the race heals during the retries (here: the webhook goes away, as if the controller had come up and accepted it).
    let attempts = 0;
    await applyWithRetry(
      {
        runner,
        kubeconfig,
        waitSeconds: 60,
        retryDelayMs: 500,
        onRetry: (_what, attempt) => {
          attempts = attempt;
          if (attempt === 2) void kubectl(runner, kubeconfig, ['delete', 'validatingwebhookconfiguration', 'validator.trainer.kubeflow.org']);
        },
      },
      [validated],
      'runtime',
    );
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect((await getJson<Doc>(runner, kubeconfig, ['clustertrainingruntime', 'kfd-validated'])).metadata!.name).toBe('kfd-validated');
  }, 180_000);
});

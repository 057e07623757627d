/**
 * The kubernetes backend against a real kube-apiserver with the real Trainer and JobSet CRDs
 * (harness stage 1: no controllers). The tests create a namespace, apply TrainJobs server-side,
 * watch them and read their status through the backend; where a controller would write status
 * (Trainer, the kubelet), the test writes it through the status subresource, as they do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { harnessCacheDir } from '../../../e2e/k8s-harness/harness.js';
import { yamlDocsWithRefs } from '../../../e2e/k8s-harness/manifests.js';
import type { KubeObject } from '../../../e2e/k8s-harness/kube.js';
import { waitFor } from '../../jobs/test-support/test-engine.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { KubeClient } from './kube-client.js';
import { adaptTrainJob, FIELD_MANAGER, JOB_ID_LABEL, PATCH_MANAGER } from './manifest-adapt.js';
import { KubeConfig } from '@kubernetes/client-node';
import { parseTrainJob } from '../../jobs/trainjob/index.js';
import { engineWith, execKubeconfig, fakeCloudLogin, makeWorkspace, needHarness, TRAINJOB, trainerCrdFile, useControlPlane } from './test-support/k8s-parts.js';
import type { TrainerApi } from '../../api/schemas/kubernetes.js';

const { missing, cp } = useControlPlane(1);
const TARGET = 'kubeconfig:kfd-harness';

function harnessClient(): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(cp().kubeconfigPath);
  return new KubeClient(kc);
}

describe('kubernetes backend on a real API server (stage 1)', () => {
  it('lists the kubeconfig context as a target and probes it: version, Trainer API, runtimes, JobSet', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const te = engineWith(cp().kubeconfigPath);
    try {
      const { targets, kubeconfigFiles, problems } = await te.call('targets.list', { probe: false });
      expect(kubeconfigFiles).toEqual([cp().kubeconfigPath]);
      expect(problems).toEqual([]);
      const target = targets.find((x) => x.id === TARGET)!;
      expect(target).toMatchObject({ context: 'kfd-harness', server: cp().server, auth: 'token', current: true, namespace: 'default', namespaceSource: 'context', label: 'kfd-harness/default', defaultShipping: 'configMap' });
      // Nothing about the credential is in what the API answers.
      expect(JSON.stringify(targets)).not.toContain(cp().token);

      const probe = await te.call('targets.probe', { target: 'kfd-harness' });
      expect(probe).toMatchObject({ reachable: true, error: null, serverVersion: cp().versions.kubernetes, namespaceExists: true });
      expect(probe.trainer).toEqual({ installed: true, servedVersions: ['v1alpha1'], api: 'v2.2+', overridesField: 'runtimePatches' });
      expect(probe.jobset.installed).toBe(true);
      expect(probe.clusterTrainingRuntimes).toContain('torch-distributed');
      expect(probe.trainingRuntimes).toEqual([]);
      expect(probe.gpus).toEqual({ allocatable: 0, nodesWithGpus: 0, nodes: 0 });
      expect(te.events.some((e) => e.event === 'targets.probed')).toBe(true);

      // The run toolbar offers the context, and the editor completes the runtimes it has.
      const runTargets = await te.call('workspace.targets', {});
      expect(runTargets.find((x) => x.id === TARGET)).toEqual({ id: TARGET, backend: 'kubernetes', label: 'Cluster kfd-harness/default', available: true, reason: null });
      const { runtimes } = await te.call('workspace.jobSchema', { target: TARGET });
      expect(runtimes.find((r) => r.name === 'torch-distributed')?.source).toBe('cluster');
      expect(runtimes.find((r) => r.name === 'torchtune-llama3.2-1b')?.source).toBe('builtin');

      const ns = await te.call('targets.setNamespace', { target: TARGET, namespace: 'team-b' });
      expect(ns).toMatchObject({ namespace: 'team-b', namespaceSource: 'setting', label: 'kfd-harness/team-b' });
    } finally {
      await te.close();
    }
  });

  it('the generated TrainJob passes the real CRD schema of Trainer v2.0, v2.1, v2.2 and v2.3 (server-side dry run)', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const client = harnessClient();
    const parsed = parseTrainJob(TRAINJOB('mnist', { numNodes: 2 }), 'trainjob.yaml');
    if (!parsed.ok) throw new Error('fixture');
    const ships = [
      { mode: 'hostPath', hostPath: '/home/me/ws' },
      { mode: 'configMap', configMap: 'mnist-ws' },
      { mode: 'image', image: 'registry.example/kfd/mnist:1' },
    ] as const;
    const current = cp().versions.trainer;
    const versions: [string, TrainerApi][] = [['v2.0.0', 'v2.0'], ['v2.1.0', 'v2.1'], ['v2.2.0', 'v2.2+'], [current, 'v2.2+']];
    const kc = cp().client;
    try {
      for (const [version, api] of versions) {
        // Install that release's TrainJob CRD in place of the harness's.
        const docs = yamlDocsWithRefs(version === current ? path.join(harnessCacheDir(), 'manifests/trainer/crds/trainer.kubeflow.org_trainjobs.yaml') : trainerCrdFile(version));
        if (version === current && !docs.length) continue;
        await kc.applyYaml(docs[0]!.text, docs[0]!.ref, { fieldManager: 'kfd-test', force: true });
        for (const ship of ships) {
          const adapted = adaptTrainJob({ job: parsed.job, jobId: 'mfx0a1b2c-3d4', namespace: 'default', api, ship });
          await waitFor(`Trainer ${version} CRD accepts the ${ship.mode} TrainJob`, async () => {
            try {
              await client.apply(adapted.manifest as never, { dryRun: true, force: true });
              return true;
            } catch (err) {
              // The API server needs a moment to serve the new schema; a real rejection stays.
              if (/unknown field|Invalid value|Unsupported value|Required value/.test((err as Error).message) && !/podSpecOverrides|podTemplateOverrides|runtimePatches/.test((err as Error).message)) throw err;
              return false;
            }
          }, 20_000, 250);
        }
        // The wrong generation's field is refused by that CRD: the adaptation matters.
        const wrong = adaptTrainJob({ job: parsed.job, jobId: 'mfx0a1b2c-3d4', namespace: 'default', api: api === 'v2.0' ? 'v2.2+' : 'v2.0', ship: ships[0] });
        await expect(client.apply(wrong.manifest as never, { dryRun: true, force: true })).rejects.toThrow(/\.spec\.(runtimePatches|podSpecOverrides): field not declared in schema/);
      }
    } finally {
      const file = path.join(harnessCacheDir(), 'manifests/trainer/crds/trainer.kubeflow.org_trainjobs.yaml');
      if (fs.existsSync(file)) {
        const doc = yamlDocsWithRefs(file)[0]!;
        await kc.applyYaml(doc.text, doc.ref, { fieldManager: 'kfd-test', force: true });
      }
    }
  }, 240_000);

  it('promote preview: the final manifests, the files shipped (ignore rules applied), and a ConfigMap refused above 1 MiB with the byte count', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const ws = makeWorkspace('preview', TRAINJOB('digits'), {
      'train.py': 'print("train")\n',
      'lib/model.py': 'X = 1\n',
      'data/big.bin': Buffer.alloc(4096, 1),
      'notes.tmp': 'scratch',
      '.gitignore': '*.tmp\n',
      '.kfdignore': 'data/\n',
    });
    const te = engineWith(cp().kubeconfigPath);
    try {
      const p = await te.call('promote.preview', { source: ws, target: 'kfd-harness', namespace: 'default' });
      expect(p.blocked).toBeNull();
      expect(p.original).toBe(fs.readFileSync(path.join(ws, 'trainjob.yaml'), 'utf8'));
      expect(p.files.map((f) => f.path)).toEqual(['.gitignore', '.kfdignore', 'lib/model.py', 'train.py', 'trainjob.yaml']);
      expect(p.files.find((f) => f.path === 'train.py')?.bytes).toBe(15);
      expect(p.shipping.mode).toBe('configMap');
      expect(p.shipping.archiveBytes).toBeGreaterThan(100);
      expect(p.shipping.limitBytes).toBe(1024 * 1024);
      expect(p.objects.map((o) => o.kind)).toEqual(['ConfigMap', 'TrainJob']);
      const [cm, tj] = p.manifest.split(/^---$/m).map((d) => parse(d));
      expect(cm.metadata.ownerReferences[0]).toMatchObject({ kind: 'TrainJob', name: tj.metadata.name, blockOwnerDeletion: true });
      expect(tj.metadata.name).toBe(`digits-${p.jobId}`);
      expect(tj.metadata.labels[JOB_ID_LABEL]).toBe(p.jobId);
      expect(tj.spec.trainer.command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(tj.spec.trainer.command.slice(-2)).toEqual(['python3', 'train.py']);
      expect(tj.spec.runtimePatches[0].manager).toBe(PATCH_MANAGER);
      expect(parse(p.trainJob)).toEqual(tj);

      // Promote edits go into the manifest, comments kept; a missing runtime is refused naming those that exist.
      const edited = await te.call('promote.preview', { source: ws, target: 'kfd-harness', runtime: 'no-such-runtime', resources: { cpu: '2', gpu: 1 } });
      expect(edited.blocked).toMatch(/"no-such-runtime" .*does not exist on kfd-harness.*ClusterTrainingRuntimes: .*torch-distributed/);

      fs.writeFileSync(path.join(ws, 'weights.bin'), Buffer.from(Array.from({ length: 1_200_000 }, () => Math.floor(Math.random() * 256))));
      const big = await te.call('promote.preview', { source: ws, target: 'kfd-harness', shipping: 'configMap' });
      expect(big.blocked).toMatch(/The workspace archive is [\d,]+ bytes .* a ConfigMap holds at most 1,048,576 bytes/);
      const bytes = Number(/archive is ([\d,]+) bytes/.exec(big.blocked!)![1]!.replace(/,/g, ''));
      expect(bytes).toBe(big.shipping.archiveBytes);
      const refused = await te.callError('promote.run', { source: ws, target: 'kfd-harness', shipping: 'configMap' });
      expect(refused.message).toContain('1,048,576 bytes');
      // auto on a remote target without a registry: image shipping is needed and refused clearly.
      const auto = await te.call('promote.preview', { source: ws, target: 'kfd-harness' });
      expect(auto.shipping.mode).toBe('image');
      expect(auto.blocked).toMatch(/no image registry is set for this target/);
    } finally {
      await te.close();
    }
  });

  it('runs a job: TrainJob + ConfigMap applied server-side, owned, labelled; status, ranks and pending reasons from real watch events', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const kc = cp().client;
    await kc.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }, { fieldManager: 'kfd-test' });
    // Stage 1 runs no service-account controller; pods need the namespace's default account.
    await kc.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team-a' } }, { fieldManager: 'kfd-test' });
    const ws = makeWorkspace('run', TRAINJOB('watch-me', { numNodes: 2 }));
    const te = engineWith(cp().kubeconfigPath);
    try {
      const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: 'kfd-harness', namespace: 'team-a' });
      expect(job.target).toBe('kfd-harness/team-a');
      const name = `watch-me-${job.id}`;
      const tj = await waitFor('the TrainJob on the cluster', () => kc.get<KubeObject & { metadata: { uid: string; managedFields: { manager: string; operation: string }[] } }>(`/apis/trainer.kubeflow.org/v1alpha1/namespaces/team-a/trainjobs/${name}`).catch(() => null), 20_000, 200);
      expect((tj.metadata.labels as Record<string, string>)[JOB_ID_LABEL]).toBe(job.id);
      expect(tj.metadata.managedFields.map((f) => `${f.manager}/${f.operation}`)).toContain(`${FIELD_MANAGER}/Apply`);
      // The archive goes first (pods need it), then the TrainJob, then the archive is re-applied
      // with the TrainJob as its owner: wait for that last apply, not just for the TrainJob.
      type WorkspaceConfigMap = KubeObject & { metadata: { ownerReferences?: { uid: string; kind: string }[] }; binaryData: Record<string, string> };
      const cm = await waitFor(
        'the workspace ConfigMap owned by the TrainJob',
        () => kc.get<WorkspaceConfigMap>(`/api/v1/namespaces/team-a/configmaps/${name}-workspace`).then((c) => (c.metadata.ownerReferences?.length ? c : null), () => null),
        20_000,
        200,
      );
      expect(cm.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'TrainJob', uid: tj.metadata.uid })]);
      expect(Buffer.from(cm.binaryData['workspace.tar.gz']!, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

      // The pods JobSet would create: node 0 cannot be scheduled for lack of GPUs.
      const pod = (i: number) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-node-0-${i}-abcde`, namespace: 'team-a', labels: { 'jobset.sigs.k8s.io/jobset-name': name, 'jobset.sigs.k8s.io/replicatedjob-name': 'node', 'batch.kubernetes.io/job-completion-index': String(i) } },
        spec: { containers: [{ name: 'node', image: 'kfd-test/python:bookworm', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      });
      const status = (i: number, s: Record<string, unknown>) => kc.request('PATCH', `/api/v1/namespaces/team-a/pods/${name}-node-0-${i}-abcde/status`, { body: { status: s }, contentType: 'application/merge-patch+json' });
      await kc.apply(pod(0), { fieldManager: 'kfd-test' });
      await kc.apply(pod(1), { fieldManager: 'kfd-test' });
      await status(0, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] });
      const pending = await waitFor('the pending reason', async () => {
        const j = await te.call('jobs.get', { id: job.id });
        return j.message?.includes('GPU') ? j : null;
      });
      expect(pending.status).toBe('Created');
      expect(pending.message).toMatch(/^Node 0: waiting for GPUs: no node has 1 free nvidia.com\/gpu/);
      // Not scheduled anywhere yet: the pods are grouped under node null, not under a made-up node name.
      expect((await te.call('jobs.cluster', { id: job.id })).nodes).toEqual([{ node: null, pods: [`${name}-node-0-0-abcde`, `${name}-node-0-1-abcde`] }]);

      await status(0, { phase: 'Running', containerStatuses: [{ name: 'node', image: 'x', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }] });
      await status(1, { phase: 'Running', containerStatuses: [{ name: 'node', image: 'x', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }] });
      const running = await waitFor('both nodes running', async () => {
        const j = await te.call('jobs.get', { id: job.id });
        return j.ranks.filter((r) => r.status === 'Running').length === 2 ? j : null;
      });
      expect(running.status).toBe('Running');
      expect(running.ranks.map((r) => [r.nodeRank, r.globalRank])).toEqual([[0, 0], [1, 1]]);

      const cluster = await te.call('jobs.cluster', { id: job.id });
      expect(cluster).toMatchObject({ trainJob: name, namespace: 'team-a', live: true, shipping: 'configMap' });
      expect(cluster.pods.map((p) => [p.nodeRank, p.phase])).toEqual([[0, 'Running'], [1, 'Running']]);

      // Trainer reports the failure; node 1's pod failed first with exit code 3.
      const end = new Date().toISOString();
      await status(1, { phase: 'Failed', containerStatuses: [{ name: 'node', image: 'x', imageID: '', ready: false, restartCount: 0, started: false, state: { terminated: { exitCode: 3, reason: 'Error', finishedAt: end, startedAt: end } } }] });
      await kc.request('PATCH', `/apis/trainer.kubeflow.org/v1alpha1/namespaces/team-a/trainjobs/${name}/status`, {
        body: { status: { conditions: [{ type: 'Failed', status: 'True', reason: 'JobsFailed', message: 'jobset failed', lastTransitionTime: end }] } },
        contentType: 'application/merge-patch+json',
      });
      const failed = await te.waitForStatus(job.id);
      expect(failed).toMatchObject({ status: 'Failed', reason: 'JobsFailed', exitCode: 3 });
      expect(failed.message).toMatch(/^The TrainJob failed: jobset failed\. Node 1's pod failed first with exit code 3\./);
    } finally {
      await te.close();
    }
  });

  it('exec auth: a kubeconfig whose user logs in through a credential plugin (fake-cloud-login) works, and a stale login says so', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const dir = makeTempDir('k8s', 'exec');
    const tokenFile = path.join(dir, 'login-cache');
    const calls = path.join(dir, 'calls');
    fs.writeFileSync(tokenFile, cp().token, { mode: 0o600 });
    const kubeconfig = execKubeconfig(dir, cp(), fakeCloudLogin(dir), tokenFile, calls);
    // Two files in KUBECONFIG, as kubectl merges them.
    const te = engineWith([kubeconfig, cp().kubeconfigPath]);
    try {
      const { targets } = await te.call('targets.list', { probe: false });
      expect(targets.map((x) => x.context).sort()).toEqual(['fake-cloud', 'kfd-harness']);
      const target = targets.find((x) => x.context === 'fake-cloud')!;
      expect(target).toMatchObject({ auth: 'exec', authDetail: 'exec: fake-cloud-login', current: true, namespace: 'team-a' });
      const probe = await te.call('targets.probe', { target: 'fake-cloud' });
      expect(probe.reachable).toBe(true);
      expect(probe.trainer.installed).toBe(true);
      expect(fs.readFileSync(calls, 'utf8').length).toBeGreaterThan(0);

      fs.writeFileSync(tokenFile, 'expired-token');
      const te2 = engineWith(kubeconfig);
      try {
        const stale = await te2.call('targets.probe', { target: 'fake-cloud' });
        expect(stale.trainer.installed).toBe(false);
        expect(stale.error ?? '').toMatch(/credentials were not accepted; log in again/);
      } finally {
        await te2.close();
      }
    } finally {
      await te.close();
    }
  });

  it('refuses a job when Trainer is not installed, saying so', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    // Last in this file: it removes the Trainer CRDs from this control plane.
    const kc = cp().client;
    for (const crd of ['trainjobs', 'clustertrainingruntimes', 'trainingruntimes']) {
      await kc.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${crd}.trainer.kubeflow.org` } });
    }
    await waitFor('the trainer API gone', async () => (await kc.get<{ groups: { name: string }[] }>('/apis')).groups.every((g) => g.name !== 'trainer.kubeflow.org'), 20_000, 200);
    const ws = makeWorkspace('notrainer', TRAINJOB('nope'));
    const te = engineWith(cp().kubeconfigPath);
    try {
      const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: 'kfd-harness' });
      const done = await te.waitForStatus(job.id);
      expect(done).toMatchObject({ status: 'Failed', reason: 'StartFailed' });
      expect(done.message).toMatch(/Kubeflow Trainer is not installed on kfd-harness/);
    } finally {
      await te.close();
    }
  });
});


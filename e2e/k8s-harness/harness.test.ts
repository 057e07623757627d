/**
 * Smoke test of the Kubernetes test harness against the real control plane it builds.
 * Locally a missing build skips with the reason; under CI=true it fails.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_EXIT_CODE_ENV, harnessMissing, needHarness, startControlPlane, type ControlPlane } from './harness.js';
import { KubeClient, KubeError, type KubeObject } from './kube.js';

/**
 * Start a stage for one describe block. When the harness is not built nothing is started (each
 * test then skips, or fails under CI=true, through needHarness); when starting fails, each test
 * fails with that error, so the failure is counted per test rather than hidden as skips.
 */
async function start(stage: 1 | 2): Promise<{ cp?: ControlPlane; error?: unknown }> {
  if (harnessMissing(stage)) return {};
  try {
    return { cp: await startControlPlane({ stage }) };
  } catch (error) {
    return { error };
  }
}
const FM = 'kubeflow-desktop';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
type WithConditions = KubeObject & { status?: { conditions?: Condition[] } };
const hasCondition = (o: WithConditions, type: string) => !!o.status?.conditions?.some((c) => c.type === type && c.status === 'True');

function trainJob(namespace: string, name: string, trainer: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeflow-desktop' } },
    spec: {
      runtimeRef: { name: 'torch-distributed' },
      trainer: { image: 'kfd-test/train:local', command: ['python3', 'train.py'], numNodes: 2, ...trainer },
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function expectStoppedCleanly(cp: ControlPlane): Promise<void> {
  const procs = cp.processes();
  expect(procs.length).toBeGreaterThan(0);
  await cp.stop();
  for (const p of procs) expect(alive(p.pid), `${p.name} (pid ${p.pid}) still running`).toBe(false);
  expect(fs.existsSync(cp.runDir)).toBe(false);
}

describe('k8s harness, stage 1: etcd + kube-apiserver + CRDs', { timeout: 60_000 }, () => {
  const missing = harnessMissing(1);
  let cp!: ControlPlane;
  let startError: unknown;
  beforeAll(async () => {
    const r = await start(1);
    if (r.cp) cp = r.cp;
    startError = r.error;
  }, 180_000);
  afterAll(async () => {
    await cp?.stop();
  }, 60_000);

  it('serves the pinned Kubernetes version behind a self-contained kubeconfig', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    expect(cp.timings['total']).toBeLessThan(60);
    const kubeconfig = parse(fs.readFileSync(cp.kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    expect(fs.statSync(cp.kubeconfigPath).mode & 0o077).toBe(0);
    const cluster = kubeconfig.clusters[0]!.cluster;
    const viaKubeconfig = new KubeClient({
      server: cluster.server,
      token: kubeconfig.users[0]!.user.token,
      ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    });
    try {
      const version = await viaKubeconfig.get<{ gitVersion: string }>('/version');
      expect(version.gitVersion).toBe(cp.versions.kubernetes);
      await expect(new KubeClient({ server: cp.server, token: 'wrong', ca: cp.ca }).get('/api/v1/namespaces')).rejects.toMatchObject({ status: 401 });
    } finally {
      viaKubeconfig.close();
    }
  });

  it('installs the JobSet and Trainer CRDs and the Trainer runtimes from the pinned modules', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    const crds = await cp.client.get<{ items: KubeObject[] }>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(crds.items.map((c) => c.metadata.name).sort()).toEqual(
      expect.arrayContaining([
        'jobsets.jobset.x-k8s.io',
        'trainjobs.trainer.kubeflow.org',
        'trainingruntimes.trainer.kubeflow.org',
        'clustertrainingruntimes.trainer.kubeflow.org',
      ]),
    );
    const runtime = await cp.client.get('/apis/trainer.kubeflow.org/v1alpha1/clustertrainingruntimes/torch-distributed');
    expect(runtime.metadata.name).toBe('torch-distributed');
  });

  it('creates a namespace, applies a TrainJob server-side, watches it and reads its status', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    const c = cp.client;
    const ns = 'smoke-stage1';
    await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: FM });
    const collection = await c.pathFor('trainer.kubeflow.org/v1alpha1', 'TrainJob', ns);

    // Start watching before the apply, so the ADDED and MODIFIED events are both seen.
    const list = await c.get<{ metadata: { resourceVersion: string } }>(collection);
    const seen: string[] = [];
    const watched = c.watch<WithConditions>(
      collection,
      (ev) => {
        seen.push(ev.type);
        return ev.type === 'MODIFIED' && hasCondition(ev.object, 'Complete');
      },
      { resourceVersion: list.metadata.resourceVersion, timeoutMs: 20_000 },
    );

    const applied = await c.apply<WithConditions>(trainJob(ns, 'smoke'), { fieldManager: FM });
    expect(applied.metadata['uid']).toBeTruthy();
    const managers = (applied.metadata['managedFields'] as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toContain(`${FM}/Apply`);

    // Re-applying the same manifest is a no-op; a different manager changing our field conflicts.
    const again = await c.apply(trainJob(ns, 'smoke'), { fieldManager: FM });
    expect(again.metadata.resourceVersion).toBe(applied.metadata.resourceVersion);
    await expect(c.apply(trainJob(ns, 'smoke', { numNodes: 3 }), { fieldManager: 'someone-else' })).rejects.toMatchObject({ status: 409 });

    // No Trainer controller in stage 1: write status as a controller would, through /status.
    await c.apply(
      {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'TrainJob',
        metadata: { name: 'smoke', namespace: ns },
        status: {
          conditions: [{ type: 'Complete', status: 'True', reason: 'JobsCompleted', message: 'fake controller', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
        },
      },
      { fieldManager: 'fake-trainer-controller', subresource: 'status' },
    );
    const done = await watched;
    expect(seen[0]).toBe('ADDED');
    expect(done && hasCondition(done, 'Complete')).toBe(true);

    const read = await c.get<WithConditions>(await c.pathFor('trainer.kubeflow.org/v1alpha1', 'TrainJob', ns, 'smoke'));
    expect(read.status?.conditions?.[0]).toMatchObject({ type: 'Complete', status: 'True', reason: 'JobsCompleted' });
    expect((read['spec'] as { trainer: { numNodes: number } }).trainer.numNodes).toBe(2);

    await c.delete(read);
    await expect(c.get(await c.pathOf(read))).rejects.toBeInstanceOf(KubeError);
  });

  it('stop() ends every process and removes its files', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    await expectStoppedCleanly(cp);
  });
});

describe('k8s harness, stage 2: controllers, scheduler, kwok, JobSet and Trainer', { timeout: 150_000 }, () => {
  const missing = harnessMissing(2);
  let cp!: ControlPlane;
  let startError: unknown;
  beforeAll(async () => {
    const r = await start(2);
    if (r.cp) cp = r.cp;
    startError = r.error;
  }, 240_000);
  afterAll(async () => {
    await cp?.stop();
  }, 60_000);

  async function runTrainJob(ns: string, name: string, trainer: Record<string, unknown>, until: 'Complete' | 'Failed') {
    const c = cp.client;
    await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: FM });
    await c.apply(trainJob(ns, name, trainer), { fieldManager: FM });
    const tj = await c.waitFor<WithConditions>('trainer.kubeflow.org/v1alpha1', 'TrainJob', ns, name, (o) => hasCondition(o, until) || hasCondition(o, until === 'Complete' ? 'Failed' : 'Complete'), {
      timeoutMs: 90_000,
      describe: `${until} condition`,
    });
    const jobsets = await c.get<{ items: KubeObject[] }>(`/apis/jobset.x-k8s.io/v1alpha2/namespaces/${ns}/jobsets`);
    const jobs = await c.get<{ items: (KubeObject & { status?: { conditions?: Condition[] } })[] }>(`/apis/batch/v1/namespaces/${ns}/jobs`);
    const pods = await c.get<{ items: (KubeObject & { spec: { nodeName?: string }; status: { phase: string; containerStatuses?: { state: { terminated?: { exitCode: number } } }[] } })[] }>(`/api/v1/namespaces/${ns}/pods`);
    return { tj, jobsets: jobsets.items, jobs: jobs.items, pods: pods.items };
  }

  const owner = (o: KubeObject) => (o.metadata['ownerReferences'] as { kind: string; name: string }[] | undefined)?.[0];

  it('runs a TrainJob to Complete: JobSet → Jobs → Pods on the kwok node', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    const { tj, jobsets, jobs, pods } = await runTrainJob('smoke-complete', 'ok', {}, 'Complete');
    expect(hasCondition(tj, 'Complete')).toBe(true);
    expect(jobsets).toHaveLength(1);
    expect(owner(jobsets[0]!)).toMatchObject({ kind: 'TrainJob', name: 'ok' });
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) {
      expect(owner(j)).toMatchObject({ kind: 'JobSet', name: 'ok' });
      expect(j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    }
    expect(pods).toHaveLength(2); // numNodes: 2
    for (const p of pods) {
      expect(owner(p)?.kind).toBe('Job');
      expect(p.spec.nodeName).toBe(cp.nodeName);
      expect(p.status.phase).toBe('Succeeded');
    }
  });

  it("serves JobSet's and Trainer's webhooks: an unknown runtime is denied by Trainer's validator", async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    const c = cp.client;
    await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smoke-webhook' } }, { fieldManager: FM });
    const bad = trainJob('smoke-webhook', 'no-runtime');
    (bad['spec'] as { runtimeRef: { name: string } }).runtimeRef.name = 'no-such-runtime';
    const err = await c.apply(bad, { fieldManager: FM }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).status).toBe(403);
    expect((err as KubeError).message).toMatch(/validator\.trainjob\.trainer\.kubeflow\.org.*no-such-runtime/);
    const hooks = await c.get<{ items: KubeObject[] }>('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations');
    expect(hooks.items.map((h) => h.metadata.name).sort()).toEqual(['jobset-mutating-webhook-configuration', 'trainer-mutating-webhook-configuration']);
  });

  it(`a failing pod stage (${FAKE_EXIT_CODE_ENV}) makes the TrainJob Failed`, async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    const { tj, pods } = await runTrainJob('smoke-failed', 'bad', { numNodes: 1, env: [{ name: FAKE_EXIT_CODE_ENV, value: '3' }] }, 'Failed');
    expect(hasCondition(tj, 'Failed')).toBe(true);
    expect(pods.length).toBeGreaterThan(0);
    const failed = pods.find((p) => p.status.phase === 'Failed');
    expect(failed?.status.containerStatuses?.[0]?.state.terminated?.exitCode).toBe(3);
  });

  it('stop() ends every process and removes its files', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    if (startError) throw startError;
    await expectStoppedCleanly(cp);
  });
});

/**
 * One click, for real: the same `cluster.prepare` and `cluster.create` the Cluster page and
 * `kfd cluster prepare|create` call, with the real kind, Docker and kubectl, the node image built
 * on this machine (e2e/kind-node/) and the JobSet and Trainer images built from the pinned
 * modules. The cluster made here is the one the later files of the suite use.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterOperation } from '../../engine/api/contract.js';
import { waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { readAssets } from '../assets/asset-store.js';
import { kindSuite, kubectlJson, suiteEngine } from './suite.js';

const s = kindSuite();

interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status: { phase: string; podIP?: string; containerStatuses?: { ready: boolean; imageID: string }[] };
}

function operations(events: { event: string; payload: unknown }[], id: string): ClusterOperation[] {
  return events.filter((e) => e.event === 'cluster.operation' && (e.payload as ClusterOperation).id === id).map((e) => e.payload as ClusterOperation);
}

async function finished(te: ReturnType<typeof suiteEngine>, id: string, timeoutMs: number): Promise<ClusterOperation> {
  return waitFor(`operation ${id} to end`, async () => {
    const op = await te.call('cluster.operation', { id });
    return op && op.status !== 'running' ? op : null;
  }, timeoutMs, 500);
}

if (s.ready) {
  describe('one-click local Kubeflow on a real kind cluster', () => {
    it('prepare records the node image and the controller images built here; only the runtime image is missing', async () => {
      const te = suiteEngine(s);
      try {
        const { operationId } = await te.call('cluster.prepare', { nodeImage: s.nodeImage });
        const op = await finished(te, operationId, 180_000);
        const assets = readAssets(s.dataDir)!;
        expect(assets.nodeImage).toBe(s.nodeImage);
        expect(Object.keys(assets.manifests).sort()).toEqual(['jobset', 'runtimes', 'trainer']);
        const byRole = (role: string) => assets.images.filter((i) => i.role === role);
        expect(byRole('node')).toEqual([{ ref: s.nodeImage, role: 'node', id: expect.stringMatching(/^sha256:/), error: null }]);
        for (const c of s.controllerImages) expect(byRole(c.role)).toEqual([{ ref: c.ref, role: c.role, id: expect.stringMatching(/^sha256:/), error: null }]);
        // No registry is reachable here: the default runtime's image cannot be pulled, and
        // prepare says exactly that (the manifests and the other images are prepared).
        const runtime = byRole('runtime');
        expect(runtime).toHaveLength(1);
        expect(op.status).toBe('failed');
        expect(op.error!.step).toBe('images');
        expect(op.error!.message).toContain(`Could not pull 1 of ${assets.images.length} image(s): ${runtime[0]!.ref} (`);
      } finally {
        await te.close();
      }
    });

    it('the dry run shows the node image, no kindnetd (the image brings its pod network) and cgroup v1 accepted', async () => {
      const te = suiteEngine(s);
      try {
        const plan = await te.call('cluster.plan', { name: s.name, workspaceRoot: s.workspaceRoot, gpus: 'none' });
        expect(plan.kindConfig).toContain(`image: ${s.nodeImage}`);
        expect(plan.kindConfig).toContain('disableDefaultCNI: true');
        expect(plan.kindConfig).toContain(`hostPath: ${s.workspaceRoot}`);
      } finally {
        await te.close();
      }
    });

    it('create: kind\'s steps as progress, nodes Ready, JobSet and Trainer running as pods from the images built here, runtimes, Trainer Available', async () => {
      const te = suiteEngine(s);
      try {
        const started = Date.now();
        const { operationId } = await te.call('cluster.create', { name: s.name, workspaceRoot: s.workspaceRoot, gpus: 'none' });
        const op = await finished(te, operationId, 600_000);
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        if (op.status !== 'succeeded') throw new Error(`create ${op.status} after ${seconds}s at ${op.error?.stepTitle}: ${op.error?.message}\n${op.error?.details.lastLogLines.join('\n')}`);
        console.log(`created ${s.name} in ${seconds} s: ${op.steps.map((st) => `${st.id} ${(((st.finishedAt ?? 0) - (st.startedAt ?? 0)) / 1000).toFixed(1)}s`).join(', ')}`);
        expect(op.steps.every((st) => st.status === 'done')).toBe(true);
        expect(op.steps.map((st) => st.id)).toEqual(['preflight', 'assets', 'kind', 'load-images', 'wait-nodes', 'wait-coredns', 'jobset', 'trainer', 'runtimes', 'wait-trainer', 'record']);

        // Progress as the page and the CLI showed it: kind's own steps inside the kind step, in
        // kind's order (events are throttled, so a step that took milliseconds may not be seen).
        const seen = operations(te.events, operationId);
        const kindSteps = [...new Set(seen.map((o) => o.steps.find((st) => st.id === 'kind')!).filter((st) => st.status === 'running' && st.sub).map((st) => st.detail))];
        const order = ['Ensuring node image', 'Preparing nodes', 'Writing configuration', 'Starting control-plane', 'Installing StorageClass', 'Waiting'];
        const positions = kindSteps.map((d) => order.findIndex((o) => d.startsWith(o))).filter((p) => p >= 0);
        expect(positions.length).toBeGreaterThanOrEqual(3);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        const kindLog = op.steps.find((st) => st.id === 'kind')!.logs.join('\n');
        for (const o of order.slice(0, 5)) expect(kindLog).toContain(`✓ ${o}`);
        expect(kindLog).not.toContain('Installing CNI'); // the node image brings its pod network
        expect(seen.at(-1)!.progress).toMatchObject({ current: op.steps.length, max: op.steps.length });
        // The prepared images were loaded into the node with kind load (not pulled).
        const load = op.steps.find((st) => st.id === 'load-images')!;
        expect(load.detail).toBe(`${s.controllerImages.length} image(s) loaded`);

        const nodes = await kubectlJson<{ items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string } } }[] }>(s, ['get', 'nodes']);
        expect(nodes.items.map((n) => n.metadata.name)).toEqual([`${s.name}-control-plane`]);
        expect(nodes.items[0]!.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');

        // JobSet and Trainer run as pods in the cluster, from exactly the images built here.
        const pods = (await kubectlJson<{ items: Pod[] }>(s, ['get', 'pods', '-n', 'kubeflow-system'])).items;
        for (const c of s.controllerImages) {
          const pod = pods.find((p) => p.spec.containers.some((k) => k.image === c.ref));
          expect(pod, `a pod running ${c.ref}`).toBeDefined();
          expect(pod!.status.phase).toBe('Running');
          expect(pod!.status.containerStatuses!.every((k) => k.ready)).toBe(true);
          expect(pod!.spec.nodeName).toBe(`${s.name}-control-plane`);
        }
        const runtimes = await kubectlJson<{ items: { metadata: { name: string } }[] }>(s, ['get', 'clustertrainingruntimes']);
        expect(runtimes.items.map((r) => r.metadata.name)).toContain('torch-distributed');
        const trainer = await kubectlJson<{ status: { conditions: { type: string; status: string }[] } }>(s, ['get', 'deployment', '-n', 'kubeflow-system', 'kubeflow-trainer-controller-manager']);
        expect(trainer.status.conditions.find((c) => c.type === 'Available')?.status).toBe('True');

        const status = await te.call('cluster.status', {});
        expect(status.clusters.find((c) => c.name === s.name)).toMatchObject({ state: 'running', recorded: true, workspaceRoot: s.workspaceRoot, nodes: [{ name: `${s.name}-control-plane`, state: 'running' }] });
      } finally {
        await te.close();
      }
    });

    it('the cluster is a run target: reachable, Trainer v2.2+ API, its runtimes', async () => {
      const te = suiteEngine(s);
      try {
        const probe = await te.call('targets.probe', { target: `local:${s.name}` });
        expect(probe).toMatchObject({ reachable: true, error: null, trainer: { installed: true, api: 'v2.2+' } });
        expect(probe.clusterTrainingRuntimes).toContain('torch-distributed');
      } finally {
        await te.close();
      }
    });

    it('a second create with the same name stops before kind and says the name is taken', async () => {
      const te = suiteEngine(s);
      try {
        const { operationId } = await te.call('cluster.create', { name: s.name, gpus: 'none' });
        const op = await finished(te, operationId, 60_000);
        expect(op.status).toBe('failed');
        expect(op.error).toMatchObject({ step: 'preflight', message: `A kind cluster named "${s.name}" already exists (kind get clusters lists it).` });
        expect(op.error!.fix).toContain(`kfd cluster delete --name ${s.name}`);
        expect(op.steps.find((st) => st.id === 'kind')!.status).toBe('pending');
      } finally {
        await te.close();
      }
    });
  });
}

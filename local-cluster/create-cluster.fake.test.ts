/**
 * The success path of a create, end to end through runCreate, against fake-kind, fake-kubectl,
 * fake-docker and fake-nvidia-smi (test-support/fake-tools.ts): no kind node image can be
 * pulled and no GPU exists on these machines, so the fakes stand for the cluster kind would have
 * made and for a two-GPU host whose Docker passes GPUs through. They record every call, and the
 * test checks the calls a user's cluster would have received, in order, with their inputs.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi } from '../engine/doctor/checks/nvidia-smi-parse.js';
import { TWO_GPUS } from '../engine/doctor/test-support/fake-nvidia-smi.js';
import { makeTempDir } from '../engine/test-support/real-parts.js';
import { parseDocs } from './addons/manifests.js';
import { createRunner } from './cli/runner.js';
import { kubeconfigPathOf, readClusterRecord } from './cluster-record.js';
import { runCreate } from './create-cluster.js';
import { planCreate, type CreateOptions } from './create-plan.js';
import { StepTracker } from './steps.js';
import { createFakeTools } from './test-support/fake-tools.js';
import { FAKE_IMAGES, writeFakeAssets } from './test-support/fake-assets.js';

const gpuHost = { ready: true, problems: [] };

async function create(opts: Partial<CreateOptions> & { races?: number; gpuNodes?: string[] } = {}) {
  const dataDir = makeTempDir('cluster', 'create');
  const fakes = createFakeTools(path.join(dataDir, 'fake-bin'));
  const name = opts.name ?? 'kfd';
  const workers = opts.workers ?? 0;
  const gpus = opts.gpus ?? 'none';
  writeFakeAssets(dataDir, { devicePlugin: gpus !== 'none' });
  const plan = planCreate(
    { name, workers, gpus, workspaceRoot: dataDir, waitSeconds: opts.waitSeconds ?? 30 },
    { kindVersion: 'v0.30.0', gpus: gpus === 'none' ? [] : parseNvidiaSmi(TWO_GPUS.join('\n')), hostGpu: gpuHost, kubeconfigPath: kubeconfigPathOf(dataDir, name) },
  );
  fakes.setNodes(plan.nodes);
  fakes.setImages([FAKE_IMAGES.jobset, FAKE_IMAGES.trainer, plan.kind.config.nodes[0]!.image]);
  const tracker = new StepTracker('op-1', 'create', name, plan.steps);
  const env = { ...fakes.env, FAKE_KUBECTL_RACES: String(opts.races ?? 0), FAKE_GPU_NODES: (opts.gpuNodes ?? plan.gpuNodes.map((g) => g.node)).join(',') };
  const runner = createRunner(env, dataDir, new AbortController().signal, tracker);
  const record = await runCreate({ plan, runner, tracker, dataDir, kindVersion: 'v0.30.0', workspaceRoot: dataDir, offline: false, changed: () => undefined, retryDelayMs: 10 });
  return { dataDir, fakes, plan, tracker, record, calls: fakes.calls() };
}

const line = (c: { tool: string; args: string[] }) => `${c.tool} ${c.args.filter((a, i, all) => a !== '--kubeconfig' && all[i - 1] !== '--kubeconfig').join(' ')}`;

describe('create against fake-kind / fake-kubectl / fake-docker (no node image or GPU here)', () => {
  it('runs kind with the generated config on stdin, waits, installs JobSet → Trainer → runtimes, writes the record', async () => {
    const { dataDir, plan, tracker, record, calls } = await create({ workers: 1 });
    const kind = calls.find((c) => c.tool === 'fake-kind' && c.args[0] === 'create')!;
    expect(kind.args).toEqual(['create', 'cluster', '--name', 'kfd', '--config', '-', '--kubeconfig', kubeconfigPathOf(dataDir, 'kfd'), '--wait', '30s']);
    expect(kind.stdin).toBe(plan.kind.yaml);
    expect(kind.stdin).toContain(`hostPath: ${dataDir}`); // the workspace is mounted into the nodes

    const sequence = calls.filter((c) => c.tool !== 'fake-docker' || c.args[0] !== 'image').map(line);
    expect(sequence).toEqual([
      'fake-docker info --format {{json .}}',
      'fake-kind get clusters',
      expect.stringMatching(/^fake-kind create cluster --name kfd --config - /),
      `fake-kind load docker-image --name kfd ${FAKE_IMAGES.jobset}`,
      `fake-kind load docker-image --name kfd ${FAKE_IMAGES.trainer}`,
      'fake-kubectl wait nodes --all --for=condition=Ready --timeout=30s',
      'fake-kubectl wait -n kube-system deployment/coredns --for=condition=Available --timeout=30s',
      'fake-kubectl apply --server-side --force-conflicts --field-manager=kubeflow-desktop -f -', // namespace
      'fake-kubectl apply --server-side --force-conflicts --field-manager=kubeflow-desktop -f -', // jobset
      'fake-kubectl wait -n kubeflow-system deployment/jobset-controller-manager --for=condition=Available --timeout=30s',
      'fake-kubectl apply --server-side --force-conflicts --field-manager=kubeflow-desktop -f -', // trainer
      'fake-kubectl wait crd/trainjobs.trainer.kubeflow.org --for=condition=Established --timeout=30s',
      'fake-kubectl apply --server-side --force-conflicts --field-manager=kubeflow-desktop -f -', // runtimes
      'fake-kubectl wait -n kubeflow-system deployment/kubeflow-trainer-controller-manager --for=condition=Available --timeout=30s',
    ]);
    const applies = calls.filter((c) => c.tool === 'fake-kubectl' && c.args.includes('apply')).map((c) => parseDocs(c.stdin));
    expect(applies.map((docs) => docs.map((d) => d.kind))).toEqual([['Namespace'], ['Deployment'], ['Namespace', 'CustomResourceDefinition', 'Deployment'], ['ClusterTrainingRuntime']]);
    // No GPUs: /dev/shm in memory, but no nvidia RuntimeClass on the runtime.
    const pod = JSON.stringify(applies[3]);
    expect(pod).toContain('"medium":"Memory"');
    expect(pod).not.toContain('runtimeClassName');

    expect(record).toMatchObject({ name: 'kfd', context: 'kind-kfd', workers: 1, gpus: 0, workspaceRoot: dataDir });
    expect(readClusterRecord(dataDir, 'kfd')).toEqual(record);
    expect(statSync(kubeconfigPathOf(dataDir, 'kfd')).mode & 0o777).toBe(0o600);
    const snap = tracker.snapshot();
    expect(snap.steps.every((s) => s.status === 'done')).toBe(true);
    expect(snap.steps.find((s) => s.id === 'assets')!.detail).toContain('1 asset(s) will be pulled: image example.invalid/torch:2');
    expect(snap.steps.find((s) => s.id === 'kind')!.logs).toContain('• Ready after 31s');
  });

  it('on a (fake) two-GPU host: nvkind mounts, node setup, RuntimeClass, device plugin, GPU-patched runtimes', async () => {
    const { plan, calls, record } = await create({ workers: 2, gpus: 'all' });
    expect(plan.gpuNodes).toEqual([
      { node: 'kfd-worker', visible: [0] },
      { node: 'kfd-worker2', visible: [1] },
    ]);
    expect(plan.kind.yaml).toContain('containerPath: /var/run/nvidia-container-devices/0');
    expect(plan.kind.yaml).toContain('containerPath: /var/run/nvidia-container-devices/1');
    const execs = calls.filter((c) => c.tool === 'fake-docker' && c.args[0] === 'exec').map((c) => `${c.args[2]}: ${c.args[5]!.split('\n').find((l) => !l.startsWith('set -e')) ?? ''}`);
    expect(execs).toEqual([
      'kfd-worker: mkdir -p /kfd/nvidia-toolkit',
      'kfd-worker: if command -v nvidia-ctk >/dev/null 2>&1; then echo "nvidia-ctk already in the node"; exit 0; fi',
      'kfd-worker: nvidia-ctk runtime configure --runtime=containerd --set-as-default',
      'kfd-worker2: mkdir -p /kfd/nvidia-toolkit',
      'kfd-worker2: if command -v nvidia-ctk >/dev/null 2>&1; then echo "nvidia-ctk already in the node"; exit 0; fi',
      'kfd-worker2: nvidia-ctk runtime configure --runtime=containerd --set-as-default',
      'kfd-worker: umount -R /proc/driver/nvidia || true',
      'kfd-worker2: umount -R /proc/driver/nvidia || true',
    ]);
    // Each worker drops the device node of the GPU it was not given.
    const proc = calls.filter((c) => c.tool === 'fake-docker' && c.args[0] === 'exec' && c.args[5]!.includes('/proc/driver/nvidia'));
    expect(proc[0]!.args[5]).toContain('rm -rf /dev/nvidia1');
    expect(proc[1]!.args[5]).toContain('rm -rf /dev/nvidia0');
    const applied = calls.filter((c) => c.tool === 'fake-kubectl' && c.args.includes('apply')).flatMap((c) => parseDocs(c.stdin));
    expect(applied.find((d) => d.kind === 'RuntimeClass')).toMatchObject({ metadata: { name: 'nvidia' }, handler: 'nvidia', scheduling: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } } });
    expect(JSON.stringify(applied.find((d) => d.kind === 'DaemonSet'))).toContain('"runtimeClassName":"nvidia","nodeSelector":{"nvidia.com/gpu.present":"true"}');
    expect(JSON.stringify(applied.find((d) => d.kind === 'ClusterTrainingRuntime'))).toContain('"runtimeClassName":"nvidia"');
    expect(record.gpus).toBe(2);
  });

  it('retries an apply that hits the webhook race, and says so in the step log', async () => {
    const { tracker, calls } = await create({ races: 2 });
    const applies = calls.filter((c) => c.tool === 'fake-kubectl' && c.args.includes('apply'));
    expect(applies.length).toBe(4 + 2);
    const logs = tracker.snapshot().steps.find((s) => s.id === 'jobset')!.logs;
    expect(logs.filter((l) => l.includes('retrying'))).toEqual([
      'namespace: a webhook or CRD is not served yet; retrying (attempt 2)',
      'namespace: a webhook or CRD is not served yet; retrying (attempt 3)',
    ]);
  });

  it('fails the device-plugin step, naming the node, when a GPU node never reports nvidia.com/gpu', async () => {
    await expect(create({ gpus: 'all', gpuNodes: ['nowhere'], waitSeconds: 3 })).rejects.toThrow(/did not report GPUs on kfd-control-plane/);
  }, 60_000);
});

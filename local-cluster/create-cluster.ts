/**
 * Runs a create plan step by step: kind (its stderr turned into progress), the waits, the GPU
 * steps, the add-on installs from the prepared manifests, then the cluster record. Every step
 * reports through the tracker; a failure names its step and keeps kind's (or kubectl's) words.
 * Cancelling stops the running command and deletes what kind had made.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readAssets, readManifest, type AssetsRecord, type ManifestId } from './assets/asset-store.js';
import { sleep } from './addons/apply-retry.js';
import { applyJobset, applyRuntimes, applyTrainer, applyWithRetry, waitDeployments, type InstallContext } from './addons/install-addons.js';
import { nvidiaRuntimeClass, parseDocs, patchDevicePlugin, type Doc } from './addons/manifests.js';
import { copyIntoNode, execInNode, imageId, removeKindNetworkIfUnused } from './cli/docker-cli.js';
import { kindClusters, kindCreate, kindDelete, kindLoadImages } from './cli/kind-cli.js';
import { getJson, waitFor } from './cli/kubectl-cli.js';
import { createRunner, type Runner } from './cli/runner.js';
import { clusterDir, kubeconfigPathOf, removeClusterRecord, writeClusterRecord, type ClusterRecord } from './cluster-record.js';
import type { CreatePlan } from './create-plan.js';
import { ToolError } from './exec.js';
import { containerdRuntimeScript, procDriverPatchScript, TOOLKIT_DIR_IN_NODE, toolkitInstallScript } from './gpu/gpu-node-setup.js';
import { kindFailureFix } from './kind-hints.js';
import { readDockerInfo } from './diagnostics/docker-info.js';
import { FIX_START } from './diagnostics/docker-memory.js';
import { applyKindLine, INITIAL_PROGRESS, KIND_STEPS, type KindProgress } from './kind-progress.js';
import type { StepTracker } from './steps.js';

/** A failure the user can act on: the message says what happened, `fix` what to do. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly fix = '',
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

export interface CreateContext {
  plan: CreatePlan;
  runner: Runner;
  tracker: StepTracker;
  dataDir: string;
  kindVersion: string;
  workspaceRoot: string | null;
  offline: boolean;
  /** Called whenever the tracker changed (the service throttles its events). */
  changed: () => void;
  /** Milliseconds between retries of an apply that hit an install race. */
  retryDelayMs?: number;
}

const SHM_SIZE = '2Gi';

async function step(ctx: CreateContext, id: string, fn: () => Promise<string | void>): Promise<void> {
  if (!ctx.plan.steps.some((s) => s.id === id)) return;
  ctx.runner.signal.throwIfAborted();
  ctx.tracker.start(id);
  ctx.changed();
  const detail = await fn();
  ctx.tracker.done(id, detail ?? undefined);
  ctx.changed();
}

function manifest(ctx: CreateContext, id: ManifestId, assets: AssetsRecord | null): Doc[] {
  const m = readManifest(ctx.dataDir, id, assets);
  if ('missing' in m) throw new StepFailure(`${m.missing.detail}`, m.missing.fix);
  return parseDocs(m.text, id);
}

/** kind's ERROR line and the last line of the command output it quotes; the rest stays in the step log. */
export function shortKindError(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const cut = (l: string) => (l.length > 400 ? `${l.slice(0, 400)}…` : l);
  return (lines.length > 2 ? [lines[0]!, lines[lines.length - 1]!] : lines).map(cut).join('\n');
}

/** Runs the whole plan. Throws StepFailure / ToolError; the caller tags it on the tracker. */
export async function runCreate(ctx: CreateContext): Promise<ClusterRecord> {
  const { plan, runner: r, tracker } = ctx;
  const name = plan.name;
  const kubeconfig = kubeconfigPathOf(ctx.dataDir, name);
  const assets = readAssets(ctx.dataDir);
  const install: InstallContext = { runner: r, kubeconfig, waitSeconds: plan.waitSeconds, onRetry: () => ctx.changed(), ...(ctx.retryDelayMs !== undefined ? { retryDelayMs: ctx.retryDelayMs } : {}) };
  let localImages: string[] = [];
  let kindStarted = false;

  try {
    await step(ctx, 'preflight', async () => {
      const docker = await readDockerInfo({ env: r.env, signal: r.signal });
      if ('failure' in docker) throw new StepFailure(`Docker is not reachable: ${docker.failure}`, FIX_START);
      const existing = await kindClusters(r);
      if (existing.includes(name)) {
        throw new StepFailure(`A kind cluster named "${name}" already exists (kind get clusters lists it).`, kindFailureFix('node(s) already exist for a cluster with the name', name));
      }
      return `kind ${ctx.kindVersion}; no cluster named ${name} yet`;
    });

    await step(ctx, 'assets', async () => {
      const missing: string[] = [];
      for (const id of ['jobset', 'trainer', 'runtimes', ...(plan.gpu.enabled ? ['device-plugin'] : [])] as ManifestId[]) {
        const m = readManifest(ctx.dataDir, id, assets);
        if ('missing' in m) missing.push(m.missing.detail);
      }
      if (missing.length) throw new StepFailure(`Missing asset: ${missing.join(' ')}`, 'Run `kfd cluster prepare` once while online, or `kfd cluster bundle import <file>`');
      const nodeImage = plan.kind.config.nodes[0]!.image;
      const wanted = (assets?.images ?? []).filter((i) => i.role !== 'node' && (i.role !== 'device-plugin' || plan.gpu.enabled)).map((i) => i.ref);
      const absent: string[] = [];
      if (!(await imageId(r, nodeImage))) absent.push(`node image ${nodeImage}`);
      for (const ref of wanted) {
        if (await imageId(r, ref)) localImages.push(ref);
        else absent.push(`image ${ref}`);
      }
      if (absent.length && ctx.offline) {
        throw new StepFailure(`Missing asset (offline): ${absent.join(', ')} not on this machine.`, 'Run `kfd cluster prepare` while online, or import a bundle with `kfd cluster bundle import <file>`');
      }
      for (const a of absent) r.log(`not on this machine, the nodes will pull it: ${a}`);
      return absent.length ? `${absent.length} asset(s) will be pulled: ${absent.join(', ')}` : 'all assets are on this machine';
    });

    await step(ctx, 'kind', async () => {
      mkdirSync(clusterDir(ctx.dataDir, name), { recursive: true, mode: 0o700 });
      let progress: KindProgress = INITIAL_PROGRESS;
      kindStarted = true;
      try {
        await kindCreate(r, name, plan.kind.yaml, kubeconfig, plan.waitSeconds, (line) => {
          const next = applyKindLine(progress, line);
          if (next !== progress) {
            progress = next;
            tracker.update('kind', progress.description, { current: Math.max(progress.index - 1, 0), max: KIND_STEPS.length });
            ctx.changed();
          }
        });
      } catch (e) {
        if (e instanceof ToolError && !e.cancelled) {
          const failed = progress;
          const kindError = shortKindError(failed.error ?? e.stderr.trim().split('\n').slice(-3).join('\n'));
          const at = failed.step !== 'starting' ? ` at "${failed.description}"` : '';
          throw new StepFailure(`kind create cluster failed${at}: ${kindError}`, kindFailureFix(kindError, name));
        }
        throw e;
      }
      try {
        chmodSync(kubeconfig, 0o600);
      } catch {
        // kind writes it 0600 already; a fake may not have written one
      }
      return progress.warning ?? `${plan.nodes.length} node(s): ${plan.nodes.join(', ')}`;
    });

    await step(ctx, 'node-files', async () => {
      for (const node of plan.nodes) {
        for (const f of plan.kind.nodeFiles) {
          await execInNode(r, node, `mkdir -p '${path.posix.dirname(f.nodePath)}' && cat > '${f.nodePath}' <<'KFD_EOF'\n${f.content}KFD_EOF`);
        }
      }
    });

    await step(ctx, 'load-images', async () => {
      if (!localImages.length) {
        tracker.update('load-images', 'no prepared images on this machine');
        return 'nothing to load (nodes pull images themselves)';
      }
      for (let i = 0; i < localImages.length; i++) {
        tracker.update('load-images', localImages[i]!, { current: i, max: localImages.length });
        ctx.changed();
        await kindLoadImages(r, name, [localImages[i]!]);
      }
      return `${localImages.length} image(s) loaded`;
    });

    await step(ctx, 'wait-nodes', async () => {
      await waitFor(r, kubeconfig, ['nodes', '--all'], 'condition=Ready', plan.waitSeconds);
      return `${plan.nodes.length} node(s) Ready`;
    });
    await step(ctx, 'wait-coredns', async () => {
      await waitFor(r, kubeconfig, ['-n', 'kube-system', 'deployment/coredns'], 'condition=Available', plan.waitSeconds);
      return 'CoreDNS available';
    });

    await step(ctx, 'gpu-runtime', async () => {
      const debs = path.join(ctx.dataDir, 'cluster-assets', 'nvidia-toolkit');
      for (const n of plan.gpuNodes) {
        await execInNode(r, n.node, `mkdir -p ${TOOLKIT_DIR_IN_NODE}`);
        await copyIntoNode(r, n.node, `${debs}/.`, TOOLKIT_DIR_IN_NODE).catch(() => r.log(`no toolkit packages prepared in ${debs}`));
        try {
          await execInNode(r, n.node, toolkitInstallScript());
        } catch (e) {
          if (e instanceof ToolError && e.exitCode === 3) {
            throw new StepFailure(`The NVIDIA Container Toolkit is not in node ${n.node} and no toolkit packages are prepared.`, 'Run `kfd cluster prepare` on this GPU machine (it copies the toolkit packages from the host\'s apt sources)');
          }
          throw e;
        }
        await execInNode(r, n.node, containerdRuntimeScript());
      }
      return `${plan.gpuNodes.map((n) => n.node).join(', ')}: containerd runs nvidia by default`;
    });
    await step(ctx, 'gpu-proc', async () => {
      for (const n of plan.gpuNodes) await execInNode(r, n.node, procDriverPatchScript(plan.gpu.indexes, n.visible));
    });
    await step(ctx, 'gpu-runtimeclass', async () => {
      await applyWithRetry(install, [nvidiaRuntimeClass()], 'RuntimeClass');
    });
    await step(ctx, 'gpu-device-plugin', async () => {
      await applyWithRetry(install, patchDevicePlugin(manifest(ctx, 'device-plugin', assets)), 'device plugin');
      // Done when every GPU node advertises nvidia.com/gpu.
      const deadline = Date.now() + plan.waitSeconds * 1000;
      for (;;) {
        const nodes = await getJson<{ items: { metadata: { name: string }; status?: { allocatable?: Record<string, string> } }[] }>(r, kubeconfig, ['nodes']);
        const ready = plan.gpuNodes.filter((g) => Number(nodes.items.find((n) => n.metadata.name === g.node)?.status?.allocatable?.['nvidia.com/gpu'] ?? 0) > 0);
        if (ready.length === plan.gpuNodes.length) return `${plan.gpu.indexes.length} GPU(s) allocatable`;
        if (Date.now() > deadline) throw new StepFailure(`The device plugin did not report GPUs on ${plan.gpuNodes.filter((g) => !ready.includes(g)).map((g) => g.node).join(', ')} in ${plan.waitSeconds}s.`, 'Export the logs (`kfd cluster logs`) and check the nvidia-device-plugin pod in kube-system');
        await sleep(2000, r.signal);
      }
    });

    const trainerDocs = manifest(ctx, 'trainer', assets);
    const jobsetDocs = manifest(ctx, 'jobset', assets);
    await step(ctx, 'jobset', async () => {
      await applyJobset(install, jobsetDocs, trainerDocs);
      return `${(await waitDeployments(install, jobsetDocs)).join(', ')} available`;
    });
    await step(ctx, 'trainer', async () => `${await applyTrainer(install, trainerDocs)} CRDs established`);
    await step(ctx, 'runtimes', async () => {
      const runtimes = await applyRuntimes(install, manifest(ctx, 'runtimes', assets), { gpu: plan.gpu.enabled, shmSize: SHM_SIZE });
      return `${runtimes.map((d) => d.metadata?.name).join(', ')} (/dev/shm in memory${plan.gpu.enabled ? ', runtimeClassName nvidia' : ''})`;
    });
    await step(ctx, 'wait-trainer', async () => `${(await waitDeployments(install, trainerDocs)).join(', ')} available`);

    const record: ClusterRecord = {
      name,
      context: `kind-${name}`,
      kubeconfigPath: kubeconfig,
      kindVersion: ctx.kindVersion,
      nodeImage: plan.kind.config.nodes[0]!.image,
      workers: plan.nodes.length - 1,
      workspaceRoot: ctx.workspaceRoot,
      gpus: plan.gpu.indexes.length,
      createdAt: Date.now(),
    };
    await step(ctx, 'record', async () => {
      writeClusterRecord(ctx.dataDir, record);
      return `${path.join(clusterDir(ctx.dataDir, name), 'cluster.json')}`;
    });
    return record;
  } catch (e) {
    // A cancelled create leaves nothing behind; a failed one keeps its nodes for `kfd cluster logs`.
    if (r.signal.aborted && kindStarted) await cleanupAfterCancel(r, name, kubeconfig, ctx.dataDir);
    throw e;
  }
}

async function cleanupAfterCancel(r: Runner, name: string, kubeconfig: string, dataDir: string): Promise<void> {
  const cleanup = createRunner(r.env, dataDir, new AbortController().signal, null);
  await kindDelete(cleanup, name, kubeconfig).catch(() => undefined);
  await removeKindNetworkIfUnused(cleanup).catch(() => false);
  removeClusterRecord(dataDir, name);
}

/**
 * The local cluster as the API sees it: one long operation at a time (create, delete, prepare,
 * bundle export/import), each with a step tracker whose snapshots go out as events, cancellable
 * by id; plus the quick reads (status, plan, doctor) and kubeconfig/log exports.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../engine/api/api-error.js';
import type { Settings } from '../../engine/api/contract.js';
import type { AssetsStatus, ClusterCreateInput, ClusterInfo } from '../../engine/api/schemas/cluster.js';
import { runChecks } from '../../engine/doctor/run-checks.js';
import { assetsDir, MANIFESTS, preparedNodeImage, readAssets } from '../assets/asset-store.js';
import { exportBundle, EXPORT_STEPS, importBundle, IMPORT_STEPS } from '../assets/bundle.js';
import { PREPARE_STEPS, runPrepare } from '../assets/prepare.js';
import { imageId, imageLabels, removeKindNetworkIfUnused } from '../cli/docker-cli.js';
import { kindDelete, kindExportLogs, kindKubeconfig } from '../cli/kind-cli.js';
import { createRunner, type Runner } from '../cli/runner.js';
import { clusterDir, kubeconfigPathOf, removeClusterRecord } from '../cluster-record.js';
import { runCreate, StepFailure } from '../create-cluster.js';
import { DEFAULT_CLUSTER_NAME, describePlan, planCreate, type CreatePlan } from '../create-plan.js';
import { CLUSTER_DIAGNOSTICS } from '../diagnostics/index.js';
import { ToolError } from '../exec.js';
import { GpuChoiceError, parseGpuChoice } from '../gpu/gpu-selection.js';
import { KindConfigError } from '../kind-config.js';
import { defaultNodeImage } from '../node-images.js';
import { StepTracker, type OperationKind, type OperationState, type StepSpec } from '../steps.js';
import { ToolMissingError } from '../tools.js';
import { listClusters } from './cluster-info.js';
import { describeMerge, mergeIntoFile, userKubeconfigPath, type MergeReport } from './kubeconfig-merge.js';
import { detectGpus, machineFacts } from './machine-facts.js';

export interface ClusterServiceDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings: () => Settings;
  emit: (op: OperationState) => void;
  /** Minimum time between progress events of one operation. */
  throttleMs?: number;
}

interface Running {
  tracker: StepTracker;
  controller: AbortController;
  done: Promise<OperationState>;
}

const KEEP_FINISHED = 20;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Any error as the user should read it: what happened, and what to do. */
export function describeError(e: unknown): { message: string; fix: string; cancelled: boolean } {
  if (e instanceof StepFailure || e instanceof GpuChoiceError) return { message: e.message, fix: e.fix, cancelled: false };
  if (e instanceof ToolMissingError) return { message: e.message, fix: '', cancelled: false };
  if (e instanceof ToolError) {
    if (e.cancelled) return { message: 'Cancelled.', fix: '', cancelled: true };
    const last = (e.stderr.trim() || e.stdout.trim()).split('\n').slice(-5).join('\n');
    return { message: `\`${e.command}\` ${e.timedOut ? 'timed out' : `exited ${e.exitCode}`}${last ? `:\n${last}` : ''}`, fix: '', cancelled: false };
  }
  const err = e as Error;
  if (err?.name === 'AbortError' || /cancelled|aborted/i.test(err?.message ?? '')) return { message: 'Cancelled.', fix: '', cancelled: true };
  return { message: err?.message ?? String(e), fix: '', cancelled: false };
}

export class ClusterService {
  private running: Running | null = null;
  private finished = new Map<string, OperationState>();

  constructor(private readonly deps: ClusterServiceDeps) {}

  private runner(signal = new AbortController().signal, tracker: StepTracker | null = null): Runner {
    return createRunner(this.deps.env, this.deps.dataDir, signal, tracker);
  }

  /** Input → plan, or a clear API error (bad flag, kind missing). */
  async plan(input: ClusterCreateInput): Promise<{ plan: CreatePlan; kindVersion: string }> {
    try {
      const gpus = parseGpuChoice(input.gpus ?? 'auto');
      if (input.workspaceRoot && path.isAbsolute(input.workspaceRoot) && !isDirectory(input.workspaceRoot)) {
        throw new ApiError('bad_request', `workspaceRoot: ${input.workspaceRoot} is not a folder on this machine; give the folder to mount into the nodes (or none).`);
      }
      const name = input.name ?? DEFAULT_CLUSTER_NAME;
      const runner = this.runner();
      const facts = await machineFacts(runner, this.deps.settings());
      const nodeImage = input.nodeImage ?? preparedNodeImage(readAssets(this.deps.dataDir), facts.kindVersion);
      const nodeImageLabels = nodeImage ? await imageLabels(runner, nodeImage).catch(() => null) : null;
      const plan = planCreate(
        { name, workers: input.workers ?? 0, gpus, workspaceRoot: input.workspaceRoot, offline: input.offline, waitSeconds: input.waitSeconds, nodeImage },
        { ...facts, nodeImageLabels, kubeconfigPath: kubeconfigPathOf(this.deps.dataDir, name) },
      );
      return { plan, kindVersion: facts.kindVersion };
    } catch (e) {
      if (e instanceof GpuChoiceError) throw new ApiError('bad_request', `${e.message} Fix: ${e.fix}`);
      if (e instanceof KindConfigError) throw new ApiError('bad_request', e.message, e.issues);
      if (e instanceof ToolMissingError) throw new ApiError('unavailable', e.message);
      throw e;
    }
  }

  async planView(input: ClusterCreateInput) {
    const { plan } = await this.plan(input);
    return {
      name: plan.name,
      kindConfig: plan.kind.yaml,
      steps: plan.steps.map(({ id, title, runs }) => ({ id, title, runs })),
      gpu: { enabled: plan.gpu.enabled, reason: plan.gpu.reason, indexes: plan.gpu.indexes },
      text: describePlan(plan),
    };
  }

  async doctor(input: ClusterCreateInput) {
    const name = input.name ?? DEFAULT_CLUSTER_NAME;
    const gpus = await detectGpus(this.deps.env);
    const wantGpu = (input.gpus ?? 'auto') !== 'none' && gpus.length > 0;
    const cluster = { name, kindVersion: 'v0.30.0', workers: input.workers ?? 0, gpus: wantGpu ? ({ mode: 'all' } as const) : ({ mode: 'none' } as const) };
    // Checks that read the data dir find it through KFD_DATA_DIR, as the doctor's do.
    const ctx = { env: { ...this.deps.env, KFD_DATA_DIR: this.deps.dataDir }, settings: this.deps.settings(), cluster };
    const applicable = CLUSTER_DIAGNOSTICS.filter((d) => d.applicable(ctx));
    const checks = await runChecks(
      applicable.map((d) => ({ id: d.id, title: d.title, run: (c: typeof ctx & { signal?: AbortSignal }) => d.run({ ...ctx, ...c, cluster }) })),
      ctx,
      { timeoutMs: 20_000 },
    );
    let gpu = { enabled: false, reason: gpus.length ? '' : 'No NVIDIA GPU found: jobs run on CPU.', indexes: [] as number[] };
    try {
      const { plan } = await this.plan(input);
      gpu = { enabled: plan.gpu.enabled, reason: plan.gpu.reason, indexes: plan.gpu.indexes };
    } catch (e) {
      gpu.reason = (e as Error).message;
    }
    return { checks, gpus: gpus.map((g) => ({ index: g.index, name: g.name, uuid: g.uuid, memoryMiB: g.memoryMiB })), gpu };
  }

  private start(kind: OperationKind, cluster: string | null, steps: StepSpec[], work: (tracker: StepTracker, runner: Runner, changed: () => void) => Promise<Record<string, string> | null>): { operationId: string } {
    if (this.running) {
      const op = this.running.tracker.snapshot();
      throw new ApiError('conflict', `A cluster ${op.kind}${op.cluster ? ` of "${op.cluster}"` : ''} is running (operation ${op.id}); wait for it or cancel it first.`);
    }
    const id = randomUUID();
    const tracker = new StepTracker(id, kind, cluster, steps);
    const controller = new AbortController();
    const throttle = this.deps.throttleMs ?? 200;
    let last = 0;
    let pending: NodeJS.Timeout | null = null;
    const send = () => {
      pending = null;
      last = Date.now();
      this.deps.emit(tracker.snapshot());
    };
    const changed = () => {
      if (pending) return;
      const wait = last + throttle - Date.now();
      if (wait <= 0) send();
      else pending = setTimeout(send, wait);
    };
    const runner = this.runner(controller.signal, tracker);
    const done = (async () => {
      send();
      try {
        tracker.succeed(await work(tracker, runner, changed));
      } catch (e) {
        const d = describeError(e);
        tracker.fail(d.message, d.fix, d.cancelled || controller.signal.aborted);
      }
      if (pending) clearTimeout(pending);
      const final = tracker.snapshot();
      this.finished.set(id, final);
      if (this.finished.size > KEEP_FINISHED) this.finished.delete(this.finished.keys().next().value!);
      this.running = null;
      this.deps.emit(final);
      return final;
    })();
    this.running = { tracker, controller, done };
    return { operationId: id };
  }

  async create(input: ClusterCreateInput): Promise<{ operationId: string }> {
    const { plan, kindVersion } = await this.plan(input);
    return this.start('create', plan.name, plan.steps, async (tracker, runner, changed) => {
      const record = await runCreate({
        plan,
        runner,
        tracker,
        dataDir: this.deps.dataDir,
        kindVersion,
        workspaceRoot: input.workspaceRoot ?? null,
        offline: input.offline ?? false,
        changed,
      });
      return { kubeconfig: record.kubeconfigPath, context: record.context };
    });
  }

  delete(name: string): { operationId: string } {
    const steps = [
      { id: 'kind-delete', title: `Delete the kind cluster "${name}"` },
      { id: 'record', title: 'Remove the cluster record and kubeconfig' },
    ];
    return this.start('delete', name, steps, async (tracker, runner) => {
      tracker.start('kind-delete');
      await kindDelete(runner, name, kubeconfigPathOf(this.deps.dataDir, name));
      const networkRemoved = await removeKindNetworkIfUnused(runner);
      tracker.done('kind-delete', `nodes and their volumes removed${networkRemoved ? '; the kind network too (no other cluster uses it)' : ''}`);
      tracker.start('record');
      removeClusterRecord(this.deps.dataDir, name);
      tracker.done('record');
      return null;
    });
  }

  prepare(input: { nodeImage?: string | undefined } = {}): { operationId: string } {
    return this.start('prepare', null, PREPARE_STEPS, async (tracker, runner, changed) => {
      const [facts, gpus] = await Promise.all([machineFacts(runner, this.deps.settings()).catch(() => null), detectGpus(this.deps.env)]);
      const kindVersion = facts?.kindVersion ?? 'v0.30.0';
      const nodeImage = input.nodeImage ?? defaultNodeImage(kindVersion) ?? defaultNodeImage('v0.30.0')!;
      await runPrepare({ runner, tracker, dataDir: this.deps.dataDir, kindVersion, nodeImage, gpuHost: gpus.length > 0, changed });
      return { dir: assetsDir(this.deps.dataDir) };
    });
  }

  bundleExport(file: string): { operationId: string } {
    return this.start('bundle-export', null, EXPORT_STEPS, async (tracker, runner, changed) => {
      const r = await exportBundle({ runner, tracker, dataDir: this.deps.dataDir, changed }, file);
      return { file: r.file, bytes: String(r.bytes), images: r.images.join(', ') };
    });
  }

  bundleImport(file: string): { operationId: string } {
    return this.start('bundle-import', null, IMPORT_STEPS, async (tracker, runner, changed) => {
      const r = await importBundle({ runner, tracker, dataDir: this.deps.dataDir, changed }, file);
      return { images: r.images.join(', ') };
    });
  }

  operation(id?: string): OperationState | null {
    if (this.running && (!id || this.running.tracker.snapshot().id === id)) return this.running.tracker.snapshot();
    return id ? (this.finished.get(id) ?? null) : null;
  }

  /** Resolves with the final state (the CLI waits on this through events; tests directly). */
  async wait(id: string): Promise<OperationState | null> {
    if (this.running && this.running.tracker.snapshot().id === id) return this.running.done;
    return this.finished.get(id) ?? null;
  }

  cancel(id: string): { cancelled: boolean } {
    if (!this.running || this.running.tracker.snapshot().id !== id) return { cancelled: false };
    this.running.controller.abort();
    return { cancelled: true };
  }

  async assets(): Promise<AssetsStatus> {
    const rec = readAssets(this.deps.dataDir);
    const r = this.runner();
    const images = await Promise.all((rec?.images ?? []).map(async (i) => ({ ref: i.ref, role: i.role, present: !!(await imageId(r, i.ref).catch(() => null)) })));
    return {
      prepared: !!rec,
      preparedAt: rec?.preparedAt ?? null,
      dir: assetsDir(this.deps.dataDir),
      nodeImage: rec?.nodeImage ?? null,
      manifests: MANIFESTS.filter((m) => rec?.manifests[m]),
      images,
      problems: rec?.problems ?? [],
    };
  }

  async status(): Promise<{ clusters: ClusterInfo[]; assets: AssetsStatus; operation: OperationState | null }> {
    const [clusters, assets] = await Promise.all([listClusters(this.runner(), this.deps.dataDir), this.assets()]);
    return { clusters, assets, operation: this.operation() };
  }

  async logs(name: string, dir?: string): Promise<{ dir: string }> {
    const out = dir ?? path.join(clusterDir(this.deps.dataDir, name), `logs-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    try {
      await kindExportLogs(this.runner(), name, out);
    } catch (e) {
      throw new ApiError('unavailable', describeError(e).message);
    }
    return { dir: out };
  }

  async kubeconfig(name: string, merge = false, output?: string, setCurrent = false) {
    const file = kubeconfigPathOf(this.deps.dataDir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ApiError('not_found', `No kubeconfig for "${name}" at ${file}: the cluster was not created by this app (or was deleted). Create it with \`kfd cluster create --name ${name}\`.`);
    }
    // kind's own answer is fresher (the API port changes when Docker restarts the node).
    const fresh = await kindKubeconfig(this.runner(), name).catch(() => text);
    let report: MergeReport | null = null;
    if (merge) {
      try {
        report = mergeIntoFile(userKubeconfigPath(this.deps.env), fresh, { setCurrent });
      } catch (err) {
        throw new ApiError('bad_request', `Could not merge into ${userKubeconfigPath(this.deps.env)}: ${(err as Error).message}`);
      }
    }
    if (output) {
      mkdirSync(path.dirname(output), { recursive: true });
      copyFileSync(file, output);
    }
    return {
      path: file,
      context: `kind-${name}`,
      mergedInto: report?.file ?? null,
      mergeSummary: report ? describeMerge(report) : null,
      currentContext: report?.currentContext ?? null,
      writtenTo: output ?? null,
    };
  }

  async close(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    await r.done;
  }
}

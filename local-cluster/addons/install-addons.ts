/**
 * Installing the add-ons from the prepared manifests, in the order they depend on each other:
 * Trainer's namespace, JobSet (its controller must run before Trainer's watches JobSets),
 * Trainer (CRDs established before any runtime arrives), then the patched runtimes. Every apply
 * is retried through the known webhook/CRD races. Waiting for Deployments is separate, so a
 * control plane without nodes (the test harness) can check the applies alone.
 */
import type { Runner } from '../cli/runner.js';
import { applyManifests, waitFor } from '../cli/kubectl-cli.js';
import { retryInstallRace } from './apply-retry.js';
import { deploymentsOf, patchRuntimes, stringifyDocs, type Doc, type RuntimePatch } from './manifests.js';

export interface InstallContext {
  runner: Runner;
  kubeconfig: string;
  /** Total time an apply may keep retrying, and each wait's limit. */
  waitSeconds: number;
  retryDelayMs?: number;
  onRetry?: (what: string, attempt: number) => void;
}

export async function applyWithRetry(ctx: InstallContext, docs: Doc[], what: string): Promise<void> {
  if (!docs.length) return;
  const yaml = stringifyDocs(docs);
  await retryInstallRace(() => applyManifests(ctx.runner, ctx.kubeconfig, yaml), {
    deadlineMs: ctx.waitSeconds * 1000,
    delayMs: ctx.retryDelayMs ?? 3000,
    signal: ctx.runner.signal,
    onRetry: (attempt) => {
      ctx.runner.log(`${what}: a webhook or CRD is not served yet; retrying (attempt ${attempt + 1})`);
      ctx.onRetry?.(what, attempt);
    },
  });
}

export async function applyJobset(ctx: InstallContext, jobset: Doc[], trainer: Doc[]): Promise<void> {
  // JobSet is rendered into Trainer's namespace, which Trainer's manifests create.
  await applyWithRetry(ctx, trainer.filter((d) => d.kind === 'Namespace'), 'namespace');
  await applyWithRetry(ctx, jobset, 'JobSet');
}

export async function applyTrainer(ctx: InstallContext, trainer: Doc[]): Promise<number> {
  await applyWithRetry(ctx, trainer, 'Trainer');
  const crds = trainer.filter((d) => d.kind === 'CustomResourceDefinition').map((d) => `crd/${d.metadata?.name}`);
  if (crds.length) await waitFor(ctx.runner, ctx.kubeconfig, crds, 'condition=Established', ctx.waitSeconds);
  return crds.length;
}

export async function applyRuntimes(ctx: InstallContext, runtimes: Doc[], patch: RuntimePatch): Promise<Doc[]> {
  const patched = patchRuntimes(runtimes, patch);
  await applyWithRetry(ctx, patched, 'ClusterTrainingRuntimes');
  return patched.filter((d) => d.kind === 'ClusterTrainingRuntime');
}

export async function waitDeployments(ctx: InstallContext, docs: Doc[]): Promise<string[]> {
  const deps = deploymentsOf(docs);
  for (const d of deps) {
    const [ns, name] = d.split('/') as [string, string];
    await waitFor(ctx.runner, ctx.kubeconfig, ['-n', ns, `deployment/${name}`], 'condition=Available', ctx.waitSeconds);
  }
  return deps.map((d) => d.split('/')[1]!);
}

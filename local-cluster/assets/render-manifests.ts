/**
 * Renders the pinned upstream kustomize trees the way their READMEs install them, with
 * `kubectl kustomize`, but without any network: Trainer's `third-party/jobset` points at a
 * release-manifest URL, so it is pointed at JobSet's own `config/default` from the JobSet module
 * instead (keeping Trainer's image and namespace patches). Three outputs, applied in order:
 *   jobset   = Trainer's third-party/jobset overlay, in Trainer's namespace
 *   trainer  = overlays/manager without the third-party/jobset line (as its comment says to do)
 *   runtimes = overlays/runtimes (the ClusterTrainingRuntimes)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { runTool } from '../exec.js';
import { extractSubtree, type FetchedModule } from './module-source.js';
import { JOBSET, TRAINER } from './pins.js';

interface Kustomization {
  namespace?: string;
  resources?: string[];
  [k: string]: unknown;
}

const isUrl = (r: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(r) || r.startsWith('git@');

/** Pure: Trainer's third-party/jobset kustomization with its remote resource replaced by a local base. */
export function localJobsetKustomization(k: Kustomization, localBase: string): Kustomization {
  const resources = (k.resources ?? []).map((r) => (isUrl(r) ? localBase : r));
  if (!resources.includes(localBase)) throw new Error('third-party/jobset/kustomization.yaml no longer names a remote JobSet release; update render-manifests.ts');
  return { ...k, resources };
}

/** Pure: overlays/manager without the bundled JobSet (installed as its own step first). */
export function managerWithoutJobset(k: Kustomization): Kustomization {
  return { ...k, resources: (k.resources ?? []).filter((r) => !/third-party\/jobset\/?$/.test(r)) };
}

export interface RenderedManifests {
  jobset: string;
  trainer: string;
  runtimes: string;
}

export async function renderAddonManifests(
  modules: { trainer: FetchedModule; jobset: FetchedModule },
  kubectl: string,
  opts: { env: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void },
): Promise<RenderedManifests> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'kfd-render-'));
  try {
    const trainerDir = path.join(work, 'trainer', 'manifests');
    const jobsetDir = path.join(work, 'jobset', 'config');
    await extractSubtree(modules.trainer.zip, TRAINER, 'manifests', trainerDir);
    await extractSubtree(modules.jobset.zip, JOBSET, 'config', jobsetDir);

    const edit = async (file: string, fn: (k: Kustomization) => Kustomization) => {
      const k = parse(await readFile(file, 'utf8')) as Kustomization;
      await writeFile(file, stringify(fn(k)));
      return k;
    };
    const thirdParty = path.join(trainerDir, 'third-party', 'jobset');
    await edit(path.join(thirdParty, 'kustomization.yaml'), (k) => localJobsetKustomization(k, path.relative(thirdParty, path.join(jobsetDir, 'default'))));
    const manager = await edit(path.join(trainerDir, 'overlays', 'manager', 'kustomization.yaml'), managerWithoutJobset);
    const jobsetOverlay = path.join(work, 'jobset-overlay');
    await mkdir(jobsetOverlay);
    await writeFile(
      path.join(jobsetOverlay, 'kustomization.yaml'),
      stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: manager.namespace ?? 'kubeflow-system', resources: [path.relative(jobsetOverlay, thirdParty)] }),
    );

    const kustomize = async (dir: string) => {
      opts.onLine?.(`kubectl kustomize ${path.relative(work, dir)}`);
      return (await runTool(kubectl, ['kustomize', dir], { env: opts.env, signal: opts.signal, timeoutMs: 120_000 })).stdout;
    };
    return {
      jobset: await kustomize(jobsetOverlay),
      trainer: await kustomize(path.join(trainerDir, 'overlays', 'manager')),
      runtimes: await kustomize(path.join(trainerDir, 'overlays', 'runtimes')),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

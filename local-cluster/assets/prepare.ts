/**
 * `kfd cluster prepare`: everything a create needs, fetched once while online. The pinned
 * modules come from the Go module cache or GOPROXY (h1-checked), their kustomize trees are
 * rendered with kubectl, the images (node, JobSet, Trainer, the default runtime, the device
 * plugin) are pulled into Docker and their IDs recorded; on a GPU host with the NVIDIA
 * Container Toolkit installed from apt, its packages are copied for the nodes.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { imagesOf, parseDocs, type Doc } from '../addons/manifests.js';
import { imageId, pullImage } from '../cli/docker-cli.js';
import type { Runner } from '../cli/runner.js';
import { StepFailure } from '../create-cluster.js';
import { ToolError } from '../exec.js';
import type { StepSpec, StepTracker } from '../steps.js';
import { requireTool } from '../tools.js';
import { assetsDir, readAssets, writeAssets, writeManifest, type AssetsRecord, type ImageRole } from './asset-store.js';
import { extractSubtree, fetchModule, readGoEnv, type FetchedModule } from './module-source.js';
import { DEFAULT_RUNTIME, DEVICE_PLUGIN, DEVICE_PLUGIN_MANIFEST, JOBSET, TRAINER } from './pins.js';
import { renderAddonManifests } from './render-manifests.js';

export const PREPARE_STEPS: StepSpec[] = [
  { id: 'tools', title: 'Find kubectl and Docker' },
  { id: 'modules', title: 'Get the pinned Trainer, JobSet and device-plugin modules' },
  { id: 'render', title: 'Render the manifests (kubectl kustomize)' },
  { id: 'images', title: 'Pull the node and add-on images' },
  { id: 'toolkit', title: 'Copy the NVIDIA Container Toolkit packages (GPU hosts)' },
  { id: 'record', title: 'Record digests' },
];

export const TOOLKIT_PACKAGES = ['nvidia-container-toolkit', 'nvidia-container-toolkit-base', 'libnvidia-container-tools', 'libnvidia-container1'];

export interface PrepareContext {
  runner: Runner;
  tracker: StepTracker;
  dataDir: string;
  kindVersion: string;
  nodeImage: string;
  /** GPUs on this host: also prepare the device plugin and the toolkit packages. */
  gpuHost: boolean;
  changed: () => void;
  fetch?: typeof fetch;
}

/** Which image plays which role, from the rendered manifests; only the default runtime's images. */
export function preparedImages(nodeImage: string, docs: { jobset: Doc[]; trainer: Doc[]; runtimes: Doc[]; devicePlugin: Doc[] }): { ref: string; role: ImageRole }[] {
  const runtime = docs.runtimes.filter((d) => d.metadata?.name === DEFAULT_RUNTIME);
  const out: { ref: string; role: ImageRole }[] = [{ ref: nodeImage, role: 'node' }];
  const add = (refs: string[], role: ImageRole) => refs.forEach((ref) => out.some((o) => o.ref === ref) || out.push({ ref, role }));
  add(imagesOf(docs.jobset), 'jobset');
  add(imagesOf(docs.trainer), 'trainer');
  add(imagesOf(runtime), 'runtime');
  add(imagesOf(docs.devicePlugin), 'device-plugin');
  return out;
}

export async function runPrepare(ctx: PrepareContext): Promise<AssetsRecord> {
  const { runner: r, tracker } = ctx;
  const problems: string[] = [];
  const step = async <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    r.signal.throwIfAborted();
    tracker.start(id);
    ctx.changed();
    const out = await fn();
    tracker.done(id);
    ctx.changed();
    return out;
  };

  const kubectl = await step('tools', async () => {
    await requireTool('docker', r.env, ctx.dataDir);
    return requireTool('kubectl', r.env, ctx.dataDir);
  });

  const modules = await step('modules', async () => {
    const goEnv = await readGoEnv(r.env, r.signal);
    const got: Partial<Record<'trainer' | 'jobset' | 'device-plugin', FetchedModule>> = {};
    for (const pin of [TRAINER, JOBSET, ...(ctx.gpuHost ? [DEVICE_PLUGIN] : [])]) {
      tracker.update('modules', `${pin.module}@${pin.version}`);
      ctx.changed();
      try {
        got[pin.id] = await fetchModule(pin, goEnv, { signal: r.signal, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
        r.log(`${pin.module}@${pin.version} from ${got[pin.id]!.source} (${got[pin.id]!.h1})`);
      } catch (e) {
        if (pin.id !== 'device-plugin') throw new StepFailure((e as Error).message, 'Set GOPROXY to a Go module proxy you can reach (or install Go), then run `kfd cluster prepare` again');
        problems.push(`device plugin: ${(e as Error).message}`);
        r.log(problems[problems.length - 1]!);
      }
    }
    return got as { trainer: FetchedModule; jobset: FetchedModule; 'device-plugin'?: FetchedModule };
  });

  const manifests = await step('render', async () => {
    const rendered = await renderAddonManifests({ trainer: modules.trainer, jobset: modules.jobset }, kubectl, { env: r.env, signal: r.signal, onLine: r.log });
    let devicePlugin = '';
    if (modules['device-plugin']) {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'kfd-dp-'));
      try {
        await extractSubtree(modules['device-plugin'].zip, DEVICE_PLUGIN, path.posix.dirname(DEVICE_PLUGIN_MANIFEST), tmp);
        devicePlugin = await readFile(path.join(tmp, path.posix.basename(DEVICE_PLUGIN_MANIFEST)), 'utf8');
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
    const written = {
      jobset: writeManifest(ctx.dataDir, 'jobset', rendered.jobset),
      trainer: writeManifest(ctx.dataDir, 'trainer', rendered.trainer),
      runtimes: writeManifest(ctx.dataDir, 'runtimes', rendered.runtimes),
      ...(devicePlugin ? { 'device-plugin': writeManifest(ctx.dataDir, 'device-plugin', devicePlugin) } : {}),
    };
    return { rendered, devicePlugin, written };
  });

  const wanted = preparedImages(ctx.nodeImage, {
    jobset: parseDocs(manifests.rendered.jobset),
    trainer: parseDocs(manifests.rendered.trainer),
    runtimes: parseDocs(manifests.rendered.runtimes),
    devicePlugin: manifests.devicePlugin ? parseDocs(manifests.devicePlugin) : [],
  });
  const images: AssetsRecord['images'] = [];
  const record = (): AssetsRecord => ({
    version: 1,
    preparedAt: Date.now(),
    kindVersion: ctx.kindVersion,
    nodeImage: ctx.nodeImage,
    modules: (['trainer', 'jobset', 'device-plugin'] as const).flatMap((id) => {
      const m = modules[id];
      const pin = id === 'trainer' ? TRAINER : id === 'jobset' ? JOBSET : DEVICE_PLUGIN;
      return m ? [{ id, module: pin.module, version: pin.version, h1: m.h1, source: m.source }] : [];
    }),
    manifests: manifests.written,
    images: [...images, ...wanted.filter((w) => !images.some((i) => i.ref === w.ref)).map((w) => ({ ...w, id: null, error: 'not pulled yet' }))],
    problems,
  });
  // Manifests are usable already: record them before the (long) pulls, so a cancel keeps them.
  writeAssets(ctx.dataDir, record());

  try {
    await step('images', async () => {
      const failed: string[] = [];
      for (let i = 0; i < wanted.length; i++) {
        const w = wanted[i]!;
        tracker.update('images', w.ref, { current: i, max: wanted.length });
        ctx.changed();
        let id = await imageId(r, w.ref);
        let error: string | null = null;
        if (!id) {
          try {
            await pullImage(r, w.ref);
            id = await imageId(r, w.ref);
          } catch (e) {
            if (e instanceof ToolError && e.cancelled) throw e;
            error = (e instanceof ToolError ? e.stderr.trim().split('\n').pop() : (e as Error).message) ?? 'pull failed';
            failed.push(`${w.ref} (${error})`);
          }
        }
        images.push({ ...w, id, error });
      }
      if (failed.length) {
        throw new StepFailure(`Could not pull ${failed.length} of ${wanted.length} image(s): ${failed.join('; ')}. The manifests are prepared; the images are not.`, 'Run `kfd cluster prepare` again where the registries are reachable, or import a bundle with `kfd cluster bundle import <file>`');
      }
      return `${wanted.length} image(s) on this machine`;
    });

    await step('toolkit', async () => {
      if (!ctx.gpuHost) {
        tracker.skip('toolkit', 'no NVIDIA GPU on this machine');
        return;
      }
      const dir = path.join(assetsDir(ctx.dataDir), 'nvidia-toolkit');
      await mkdir(dir, { recursive: true });
      try {
        await r.run('apt-get', ['download', ...TOOLKIT_PACKAGES], { cwd: dir });
      } catch (e) {
        problems.push(`NVIDIA Container Toolkit packages: ${(e as Error).message}`);
      }
      const debs = (await readdir(dir)).filter((f) => f.endsWith('.deb'));
      return debs.length ? `${debs.length} package(s)` : 'none (GPU nodes then need the toolkit some other way)';
    });
  } finally {
    writeAssets(ctx.dataDir, record());
  }
  return step('record', async () => {
    const rec = record();
    writeAssets(ctx.dataDir, rec);
    return rec;
  });
}

/** The assets from a previous prepare, for status displays. */
export { readAssets };

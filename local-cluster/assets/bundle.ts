/**
 * The offline bundle: one .tar.gz with the prepared assets (assets.json, rendered manifests,
 * toolkit packages) and `images.tar` (`docker save` of every prepared image this machine has).
 * Import checks the manifests against assets.json's sha256 before anything replaces the
 * current assets, loads the images into Docker, then swaps the assets folder in with a rename.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { imageId, loadImages, saveImages } from '../cli/docker-cli.js';
import type { Runner } from '../cli/runner.js';
import { StepFailure } from '../create-cluster.js';
import type { StepSpec, StepTracker } from '../steps.js';
import { assetsDir, MANIFESTS, PREPARE_FIX, readAssets, readManifest } from './asset-store.js';

export const EXPORT_STEPS: StepSpec[] = [
  { id: 'check', title: 'Check the prepared assets' },
  { id: 'save-images', title: 'Save the images (docker save)' },
  { id: 'pack', title: 'Write the bundle' },
];
export const IMPORT_STEPS: StepSpec[] = [
  { id: 'unpack', title: 'Unpack the bundle' },
  { id: 'check', title: 'Check the manifests against their digests' },
  { id: 'load-images', title: 'Load the images (docker load)' },
  { id: 'install', title: 'Install the assets' },
];

interface BundleContext {
  runner: Runner;
  tracker: StepTracker;
  dataDir: string;
  changed: () => void;
}

async function step<T>(ctx: BundleContext, id: string, fn: () => Promise<T>): Promise<T> {
  ctx.runner.signal.throwIfAborted();
  ctx.tracker.start(id);
  ctx.changed();
  const out = await fn();
  ctx.tracker.done(id);
  ctx.changed();
  return out;
}

export async function exportBundle(ctx: BundleContext, file: string): Promise<{ file: string; bytes: number; images: string[] }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kfd-bundle-'));
  try {
    const images = await step(ctx, 'check', async () => {
      const rec = readAssets(ctx.dataDir);
      if (!rec) throw new StepFailure('Nothing is prepared on this machine yet, so there is nothing to export.', 'Run `kfd cluster prepare` first (online)');
      for (const id of MANIFESTS) {
        if (!rec.manifests[id]) continue;
        const m = readManifest(ctx.dataDir, id, rec);
        if ('missing' in m) throw new StepFailure(m.missing.detail, m.missing.fix);
      }
      const present: string[] = [];
      for (const i of rec.images) if (await imageId(ctx.runner, i.ref)) present.push(i.ref);
      const absent = rec.images.filter((i) => !present.includes(i.ref)).map((i) => i.ref);
      if (absent.length) ctx.runner.log(`not on this machine, so not in the bundle: ${absent.join(', ')}`);
      return present;
    });
    await step(ctx, 'save-images', async () => {
      if (images.length) await saveImages(ctx.runner, images, path.join(work, 'images.tar'));
    });
    return await step(ctx, 'pack', async () => {
      cpSync(assetsDir(ctx.dataDir), path.join(work, 'assets'), { recursive: true });
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.partial`;
      await tar.create({ gzip: true, file: tmp, cwd: work, portable: true }, ['assets', ...(images.length ? ['images.tar'] : [])]);
      renameSync(tmp, file); // a cancelled export never leaves a file that looks complete
      return { file, bytes: statSync(file).size, images };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function importBundle(ctx: BundleContext, file: string): Promise<{ images: string[] }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kfd-bundle-'));
  try {
    await step(ctx, 'unpack', async () => {
      if (!existsSync(file)) throw new StepFailure(`${file} does not exist.`, 'Give the path of a file written by `kfd cluster bundle export`');
      try {
        // No absolute paths or '..' (tar's defaults), so the bundle cannot write outside `work`.
        await tar.extract({ file, cwd: work });
      } catch (e) {
        throw new StepFailure(`${file} is not a bundle (${(e as Error).message}).`, 'Give the path of a file written by `kfd cluster bundle export`');
      }
    });
    await step(ctx, 'check', async () => {
      const staged = path.join(work, 'data');
      mkdirSync(staged);
      if (!existsSync(path.join(work, 'assets'))) throw new StepFailure(`${file} has no assets/ folder: not a bundle written by \`kfd cluster bundle export\`.`, PREPARE_FIX);
      renameSync(path.join(work, 'assets'), assetsDir(staged));
      const rec = readAssets(staged);
      if (!rec) throw new StepFailure(`${file}: assets.json is missing or damaged.`, 'Export the bundle again on the machine that prepared it');
      for (const id of MANIFESTS) {
        if (!rec.manifests[id]) continue;
        const m = readManifest(staged, id, rec);
        if ('missing' in m) throw new StepFailure(`${file}: ${m.missing.detail}`, 'Export the bundle again on the machine that prepared it');
      }
    });
    const images = await step(ctx, 'load-images', async () => {
      const tarFile = path.join(work, 'images.tar');
      return existsSync(tarFile) ? loadImages(ctx.runner, tarFile) : [];
    });
    await step(ctx, 'install', async () => {
      const target = assetsDir(ctx.dataDir);
      mkdirSync(ctx.dataDir, { recursive: true });
      // Copied beside the target first (temp dirs may be on another file system), then swapped by rename.
      const fresh = `${target}.new-${process.pid}`;
      const old = `${target}.old-${process.pid}`;
      cpSync(assetsDir(path.join(work, 'data')), fresh, { recursive: true });
      if (existsSync(target)) renameSync(target, old);
      renameSync(fresh, target);
      rmSync(old, { recursive: true, force: true });
    });
    return { images };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

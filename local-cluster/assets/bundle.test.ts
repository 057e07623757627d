/**
 * Offline bundle round trip with the real Docker (docker save / docker load): assets and images
 * exported on one "machine" (data dir) and imported on another; a tampered bundle is refused
 * and leaves the assets already there untouched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { createRunner } from '../cli/runner.js';
import { StepTracker } from '../steps.js';
import { writeFakeAssets } from '../test-support/fake-assets.js';
import { dockerMissing, haveParts } from '../test-support/real-tools.js';
import { assetsDir, manifestFile, readAssets, writeAssets } from './asset-store.js';
import { exportBundle, EXPORT_STEPS, importBundle, IMPORT_STEPS } from './bundle.js';

const IMAGE = `kfd-test/bundle-probe:${process.pid}`;
afterAll(() => {
  try {
    execFileSync('docker', ['rmi', '-f', IMAGE], { stdio: 'ignore' });
  } catch {
    // not made
  }
});

function ctx(dataDir: string, kind: 'bundle-export' | 'bundle-import') {
  const tracker = new StepTracker('op', kind, null, kind === 'bundle-export' ? EXPORT_STEPS : IMPORT_STEPS);
  return { tracker, runner: createRunner(process.env, dataDir, new AbortController().signal, tracker), dataDir, changed: () => undefined };
}

describe.runIf(haveParts('Docker', dockerMissing()))('cluster bundle (real Docker)', () => {
  it('exports manifests + images, imports them on another data dir, refuses a tampered bundle', async () => {
    const work = makeTempDir('cluster', 'bundle');
    // A tiny real image, standing in for a prepared one (no registry here to pull the real ones).
    mkdirSync(path.join(work, 'rootfs'));
    writeFileSync(path.join(work, 'rootfs', 'hello.txt'), 'hi');
    execFileSync('sh', ['-c', `tar -C '${path.join(work, 'rootfs')}' -c . | docker import - ${IMAGE}`], { stdio: 'ignore' });
    const source = path.join(work, 'source');
    const rec = writeFakeAssets(source);
    writeAssets(source, { ...rec, images: [...rec.images, { ref: IMAGE, role: 'runtime', id: null, error: null }] });

    const file = path.join(work, 'out', 'kfd-cluster.tar.gz');
    const exported = await exportBundle(ctx(source, 'bundle-export'), file);
    expect(exported.images).toEqual([IMAGE]); // only what this machine has
    expect(exported.bytes).toBeGreaterThan(0);

    execFileSync('docker', ['rmi', '-f', IMAGE], { stdio: 'ignore' });
    const target = path.join(work, 'target');
    const imported = await importBundle(ctx(target, 'bundle-import'), file);
    expect(imported.images).toEqual([IMAGE]);
    expect(execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', IMAGE], { encoding: 'utf8' })).toMatch(/^sha256:/);
    expect(readAssets(target)).toEqual(readAssets(source));
    expect(readFileSync(manifestFile(target, 'trainer'), 'utf8')).toBe(readFileSync(manifestFile(source, 'trainer'), 'utf8'));

    // Tamper with a manifest inside the bundle: the import stops at the digest check.
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    await tar.extract({ file, cwd: unpacked });
    writeFileSync(path.join(unpacked, 'assets', 'manifests', 'trainer.yaml'), 'kind: Changed\n');
    const bad = path.join(work, 'bad.tar.gz');
    await tar.create({ gzip: true, file: bad, cwd: unpacked }, ['assets']);
    const c = ctx(target, 'bundle-import');
    await expect(importBundle(c, bad)).rejects.toThrow(/trainer\.yaml was changed since it was prepared/);
    expect(c.tracker.snapshot().steps.find((s) => s.id === 'check')!.status).toBe('running');
    expect(readAssets(target)).toEqual(readAssets(source)); // untouched
    await expect(importBundle(ctx(target, 'bundle-import'), path.join(work, 'missing.tar.gz'))).rejects.toThrow('does not exist');
    expect(assetsDir(target)).toBe(path.join(target, 'cluster-assets'));
  }, 120_000);
});

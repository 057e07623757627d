// Images on the real engine: present → used as is; save → load round trip for offline machines;
// the pull-progress picture from the engine's messages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureImage, ImageUnavailableError, imagePresent, loadImages, saveImages } from './images.js';
import { pullMessage, PullTracker } from './pull-progress.js';
import { requireDocker, tempDir, TEST_IMAGE, testDocker } from './test-support/docker-parts.js';

describe('pull progress', () => {
  it('folds the engine\'s per-layer messages into bytes done / total and a status', () => {
    const t = new PullTracker('python:3.11', 'job-1');
    t.add({ status: 'Pulling from library/python', id: '3.11' });
    t.add({ status: 'Pulling fs layer', id: 'aaa' });
    t.add({ status: 'Already exists', id: 'bbb' });
    t.add({ status: 'Downloading', id: 'aaa', progressDetail: { current: 50, total: 200 } });
    t.add({ status: 'Downloading', id: 'ccc', progressDetail: { current: 10, total: 100 } });
    expect(t.snapshot()).toEqual({
      image: 'python:3.11', jobId: 'job-1', status: 'Pulling from library/python', done: false, current: 60, total: 300,
      layers: [
        { id: 'aaa', status: 'Downloading', current: 50, total: 200 },
        { id: 'bbb', status: 'Already exists', current: 0, total: 0 },
        { id: 'ccc', status: 'Downloading', current: 10, total: 100 },
      ],
    });
    t.add({ status: 'Pull complete', id: 'aaa' });
    t.add({ status: 'Status: Downloaded newer image for python:3.11' });
    expect(pullMessage(t.snapshot())).toBe('Pulling image python:3.11: 70% (210 B of 300 B, 2/3 layers)');
    expect(t.snapshot(true)).toMatchObject({ status: 'Status: Downloaded newer image for python:3.11', current: 210, total: 300, done: true });
    expect(pullMessage(new PullTracker('x:1', null).snapshot())).toBe('Pulling image x:1: Pulling');
  });
});

describe.runIf(await requireDocker())('images on the real engine', () => {
  const docker = testDocker();

  it('an image already here is used without pulling; one that is not (and no registry) names itself and how to load it', async () => {
    const reports: unknown[] = [];
    expect(await ensureImage(docker, TEST_IMAGE, { onProgress: (p) => reports.push(p) })).toEqual({ pulled: false });
    expect(reports).toEqual([]);
    const err = await ensureImage(docker, 'kfd-test/absent:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageUnavailableError);
    expect((err as Error).message).toMatch(/^Image "kfd-test\/absent:1" is not on this machine and could not be pulled \(.+\)\. If this machine is offline, carry the image over: .*kfd images save kfd-test\/absent:1 -o image\.tar\.gz.*kfd images load image\.tar\.gz/);
  });

  it('save → remove → load brings the image back under its name', async () => {
    const version = `${process.pid}-${Date.now().toString(36)}`;
    const tag = `kfd-test/roundtrip:${version}`;
    await docker.getImage(TEST_IMAGE).tag({ repo: 'kfd-test/roundtrip', tag: version });
    const file = path.join(tempDir('save'), 'images.tar');
    try {
      const t0 = Date.now();
      const { bytes } = await saveImages(docker, [tag], file);
      const saved = Date.now() - t0;
      expect(bytes).toBe(fs.statSync(file).size);
      expect(bytes).toBeGreaterThan(10_000_000);
      await docker.getImage(tag).remove();
      expect(await imagePresent(docker, tag)).toBe(false);
      const t1 = Date.now();
      const loaded = await loadImages(docker, file);
      // Podman names what it loads with the registry its archive format implies (<registry>/<tag>).
      expect(loaded).toHaveLength(1);
      expect(loaded[0] === tag || loaded[0]!.endsWith(`/${tag}`)).toBe(true);
      console.log(`save ${tag}: ${(bytes / 1e6).toFixed(0)} MB in ${saved} ms; load in ${Date.now() - t1} ms`);
      expect(await imagePresent(docker, tag)).toBe(true);
    } finally {
      await docker.getImage(tag).remove().catch(() => undefined);
    }
  });

  it('saving an image that is not here names it and writes no file', async () => {
    const file = path.join(tempDir('save-missing'), 'x.tar');
    await expect(saveImages(docker, [TEST_IMAGE, 'kfd-test/absent:2'], file)).rejects.toThrow('Not on this machine, so not saved: kfd-test/absent:2.');
    expect(fs.existsSync(file)).toBe(false);
  });
});

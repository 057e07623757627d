/**
 * Shipping a workspace in an image, on the real Docker engine: the image is built FROM the job's
 * image with the shipped files in /workspace (ignore rules applied), the build reports the bytes
 * sent and its steps, and a cancel in the middle of the build stops it and leaves no image.
 * (The push to a real registry and the whole job are in kubernetes-image.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../api/schemas/images.js';
import { imagePresent } from '../container/images.js';
import { requireDocker, TEST_IMAGE, testDocker } from '../container/test-support/docker-parts.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { ImageShippingCancelled } from './image-progress.js';
import { buildWorkspaceImage, deliverWorkspaceImage, WORKSPACE_IMAGE_LABEL, workspaceDockerfile, type ImageDelivery } from './image-ship.js';
import { listWorkspaceFiles } from './workspace-files.js';

const ok = await requireDocker('Docker + kfd-test/python (workspace image build)');
const run = Date.now().toString(36);
const tags: string[] = [];
const tagFor = (name: string) => {
  const tag = `kfd.local/kubeflow-desktop/imgtest-${name}:${run}`;
  tags.push(tag);
  return tag;
};

async function delivery(ws: string, tag: string, over: Partial<ImageDelivery> = {}): Promise<ImageDelivery & { progress: PullProgress[]; messages: string[] }> {
  const progress: PullProgress[] = [];
  const messages: string[] = [];
  return {
    build: { base: TEST_IMAGE, tag, delivery: 'push' },
    workspace: ws,
    listing: await listWorkspaceFiles(ws),
    clusterName: null,
    jobId: 'job-1',
    onMessage: (m) => messages.push(m),
    onProgress: (p) => progress.push(p),
    ...over,
    progress,
    messages,
  };
}

describe.runIf(ok)('workspace image', () => {
  afterAll(async () => {
    for (const tag of tags) await testDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
  });

  it('is built FROM spec.trainer.image with the shipped files in /workspace; progress gives the bytes sent and each step, however close together the steps come', async () => {
    const ws = makeTempDir('k8s', 'img');
    fs.writeFileSync(path.join(ws, 'train.py'), 'print("from the image")\n');
    fs.mkdirSync(path.join(ws, 'data'));
    fs.writeFileSync(path.join(ws, 'data', 'huge.bin'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(ws, '.kfdignore'), 'data/\n');
    const tag = tagFor('build');
    const d = await delivery(ws, tag);
    // Reports of bytes are thinned out to one a minute here: as on a busy machine, where the steps
    // arrive within one report interval, no step may be lost to the throttle.
    await buildWorkspaceImage(testDocker(), d, 60_000);
    const builds = d.progress.filter((p) => p.action === 'build');
    // The Dockerfile's 3 steps, and the engine's own for the labels: in order, each once.
    const count = builds.find((p) => p.step)!.step!.count;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(builds.map((p) => p.step?.index ?? 0).filter((i, n, all) => all.indexOf(i) === n)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    expect(builds.find((p) => p.step)?.step).toMatchObject({ index: 1, text: `FROM ${TEST_IMAGE}` });
    expect(builds.at(-1)).toMatchObject({ image: tag, jobId: 'job-1', done: true, current: d.listing.totalBytes, total: d.listing.totalBytes });
    const copy = builds.find((p) => p.step?.text.startsWith('COPY'))!.step!.index;
    expect(d.messages).toContain(`Building image ${tag}: step ${copy}/${count}, COPY workspace/ /workspace/`);
    expect(d.messages.at(-1)).toBe(`Built image ${tag}.`);

    const docker = testDocker();
    const info = await docker.getImage(tag).inspect();
    expect(info.Config.WorkingDir).toBe('/workspace');
    const container = await docker.createContainer({ Image: tag, Cmd: ['sh', '-c', 'python3 train.py; ls -a /workspace'] });
    try {
      await container.start();
      await container.wait();
      const out = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(out).toContain('from the image');
      expect(out).toContain('.kfdignore');
      expect(out).not.toContain('data');
    } finally {
      await container.remove({ force: true });
    }
  }, 180_000);

  it('says which base image is missing', async () => {
    const ws = makeTempDir('k8s', 'img2');
    fs.writeFileSync(path.join(ws, 'train.py'), 'x');
    const d = await delivery(ws, tagFor('nobase'), { build: { base: 'kfd-test/does-not-exist:1', tag: tagFor('nobase2'), delivery: 'push' } });
    await expect(buildWorkspaceImage(testDocker(), d)).rejects.toThrow(/kfd-test\/does-not-exist:1/);
    expect(workspaceDockerfile('a/b:1', 'j1')).toBe('FROM a/b:1\nLABEL kubeflow-desktop/workspace-of=j1\nCOPY workspace/ /workspace/\nWORKDIR /workspace\n');
  }, 120_000);

  for (const when of ['while the workspace is sent to the engine', 'during the Dockerfile steps'] as const) {
    it(`a cancel ${when} stops the build and leaves no image`, async () => {
      const ws = makeTempDir('k8s', 'imgcancel');
      fs.writeFileSync(path.join(ws, 'train.py'), 'print(1)\n');
      // 300 MB (sparse on disk here, but sent and copied in full by the engine): seconds of work to interrupt.
      fs.closeSync(fs.openSync(path.join(ws, 'weights.bin'), 'w'));
      fs.truncateSync(path.join(ws, 'weights.bin'), 300_000_000);
      const tag = tagFor(when.startsWith('while') ? 'cancel-send' : 'cancel-step');
      const abort = new AbortController();
      const d = await delivery(ws, tag, {
        jobId: `${when.startsWith('while') ? 'send' : 'step'}-${run}`,
        signal: abort.signal,
        onProgress: (p) => {
          d.progress.push(p);
          const sending = p.action === 'build' && !p.step && p.current > 0 && p.current < p.total / 2;
          if (when.startsWith('while') ? sending : p.step?.index === 1) abort.abort();
        },
      });
      const err = await deliverWorkspaceImage({ docker: async () => testDocker(), everyMs: 0 }, d).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageShippingCancelled);
      expect((err as Error).message).toBe(`Cancelled while building image ${tag}; nothing was submitted to the cluster.`);
      const last = d.progress.filter((p) => p.action === 'build').at(-1)!;
      expect(last.done).toBe(false);
      if (when.startsWith('while')) expect(last.step ?? null).toBeNull();
      // Nor any layer the dropped build committed: the engine finishes its step after the drop, so
      // the removal goes on in the background until the engine is done.
      await (err as ImageShippingCancelled).cleanup;
      expect(await imagePresent(testDocker(), tag)).toBe(false);
      expect(await testDocker().listImages({ all: true, filters: { label: [`${WORKSPACE_IMAGE_LABEL}=${d.jobId}`] } })).toEqual([]);
    }, 180_000);
  }
});

/**
 * Shipping a workspace in an image, on the real Docker engine: the image is built FROM the job's
 * image with the shipped files in /workspace (ignore rules applied). A push needs a registry,
 * which these machines do not have; `kind load` needs a kind cluster, which cannot start here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireDocker, TEST_IMAGE, testDocker } from '../container/test-support/docker-parts.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { buildWorkspaceImage, workspaceDockerfile } from './image-ship.js';
import { listWorkspaceFiles } from './workspace-files.js';

const ok = await requireDocker('Docker + kfd-test/python (workspace image build)');
const tag = `kfd.local/kubeflow-desktop/imgtest:${Date.now().toString(36)}`;

describe.runIf(ok)('workspace image', () => {
  afterAll(async () => {
    await testDocker().getImage(tag).remove({ force: true }).catch(() => undefined);
  });

  it('is built FROM spec.trainer.image with the shipped files in /workspace', async () => {
    const ws = makeTempDir('k8s', 'img');
    fs.writeFileSync(path.join(ws, 'train.py'), 'print("from the image")\n');
    fs.mkdirSync(path.join(ws, 'data'));
    fs.writeFileSync(path.join(ws, 'data', 'huge.bin'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(ws, '.kfdignore'), 'data/\n');
    const progress: string[] = [];
    await buildWorkspaceImage(testDocker(), { base: TEST_IMAGE, tag, delivery: 'push' }, ws, await listWorkspaceFiles(ws), (m) => progress.push(m));
    expect(progress.some((m) => /Step|COPY|FROM/i.test(m))).toBe(true);
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
    await expect(buildWorkspaceImage(testDocker(), { base: 'kfd-test/does-not-exist:1', tag: `${tag}-x`, delivery: 'push' }, ws, await listWorkspaceFiles(ws), () => {})).rejects.toThrow(/kfd-test\/does-not-exist:1/);
    expect(workspaceDockerfile('a/b:1')).toBe('FROM a/b:1\nCOPY workspace/ /workspace/\nWORKDIR /workspace\n');
  }, 120_000);
});

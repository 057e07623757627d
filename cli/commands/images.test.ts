// `kfd images save|load|ls` through the real engine's API (dispatch) and the real Docker engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.js';
import { requireDocker, TEST_IMAGE, testDocker } from '../../engine/backends/container/test-support/docker-parts.js';
import { buildProgram } from '../kfd.js';
import { formatBytes, formatPull } from '../../engine/backends/container/pull-progress.js';
import { imagesListCommand, imagesLoadCommand, imagesSaveCommand } from './images.js';

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; } };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-cli-images-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kfd images (formatting)', () => {
  it('sizes and pull progress read well', () => {
    expect([formatBytes(512), formatBytes(1_500_000), formatBytes(2_000_000_000)]).toEqual(['512 B', '1.5 MB', '2.0 GB']);
    const p = { image: 'python:3.11', jobId: null, status: 'Pulling', done: false, current: 41_200_000, total: 120_000_000, layers: [{ id: 'a', status: 'Pull complete', current: 1, total: 1 }, { id: 'b', status: 'Downloading', current: 1, total: 2 }] };
    expect(formatPull(p)).toBe('python:3.11  1/2 layers  41.2 MB / 120.0 MB');
  });

  it('is registered as `kfd images save|load|pull|ls`', () => {
    const images = buildProgram().commands.find((c) => c.name() === 'images');
    expect(images?.commands.map((c) => c.name())).toEqual(['save', 'load', 'pull', 'ls']);
  });
});

describe.runIf(await requireDocker())('kfd images (real engine, real Docker)', () => {
  it('save -o file.tar.gz, then load it back after the image is gone', async () => {
    const docker = testDocker();
    const version = `cli-${process.pid}`;
    const tag = `kfd-test/cli-roundtrip:${version}`;
    await docker.getImage(TEST_IMAGE).tag({ repo: 'kfd-test/cli-roundtrip', tag: version });
    const engine = createEngine({ dataDir: path.join(dir, 'data'), env: process.env });
    try {
      const deps = (out = capture(), err = capture()) => ({ dispatch: engine.dispatch, stdout: out, stderr: err, out, err });
      const file = path.join(dir, 'images.tar.gz');
      const save = deps();
      expect(await imagesSaveCommand([tag], { output: file }, save)).toBe(0);
      expect(save.out.text).toMatch(new RegExp(`^Saved ${tag} to ${file} \\(\\d+\\.\\d MB\\); on the other machine run \`kfd images load images.tar.gz\`.\n$`));
      expect(fs.readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
      await docker.getImage(tag).remove();
      const load = deps();
      expect(await imagesLoadCommand(file, load)).toBe(0);
      expect(load.out.text).toBe(`Loaded ${tag}\n`);
      const list = deps();
      expect(await imagesListCommand({}, list)).toBe(0);
      expect(list.out.text).toMatch(/^Docker \S+ at \S+\n/);
      expect(list.out.text).toContain(tag);
      const missing = deps();
      expect(await imagesSaveCommand(['kfd-test/absent:3'], { output: path.join(dir, 'x.tar') }, missing)).toBe(1);
      expect(missing.err.text).toContain('kfd: Not on this machine, so not saved: kfd-test/absent:3.');
      const noFile = deps();
      expect(await imagesLoadCommand(path.join(dir, 'nope.tar'), noFile)).toBe(1);
      expect(noFile.err.text).toBe(`kfd: ${path.join(dir, 'nope.tar')} does not exist.\n`);
      const relative = await engine.dispatch('images.save', { images: [tag], output: 'rel.tar' });
      expect(relative).toEqual({ error: { code: 'bad_request', message: 'output must be an absolute path, got "rel.tar".' } });
    } finally {
      await engine.close();
      await docker.getImage(tag).remove().catch(() => undefined);
    }
  }, 60_000);
});

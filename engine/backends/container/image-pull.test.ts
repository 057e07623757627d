// A container job whose image is not on the machine: the real Docker engine pulls it (from a
// fake-registry on 127.0.0.1 that stands in for a remote registry, which these machines cannot
// reach) while the job is Created, its message and the images.pullProgress events show the
// progress, and a cancel during the pull ends the job Cancelled at once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary, PullProgress } from '../../api/contract.js';
import { TestEngine, waitFor } from '../../jobs/test-support/test-engine.js';
import { imagePresent } from './images.js';
import { leftovers, requireDocker, tempDir, TEST_IMAGE, testDocker } from './test-support/docker-parts.js';
import { startFakeRegistry, type FakeRegistry } from './test-support/fake-registry.js';

const docker = testDocker();

function workspace(name: string, image: string): string {
  const ws = tempDir(`${name}-ws`);
  fs.writeFileSync(path.join(ws, 'train.py'), 'print("ran on the pulled image", flush=True)\n');
  const yaml = ['apiVersion: trainer.kubeflow.org/v1alpha1', 'kind: TrainJob', 'metadata:', `  name: ${name}`, 'spec:', '  runtimeRef:', '    name: torch-distributed', '  trainer:', `    image: ${image}`, '    command: ["python3", "train.py"]', '    numProcPerNode: 1', ''];
  fs.writeFileSync(path.join(ws, 'trainjob.yaml'), yaml.join('\n'));
  return ws;
}

const summaries = (engine: TestEngine, id: string) => engine.events.filter((e) => e.event === 'jobs.changed' && (e.payload as JobSummary).id === id).map((e) => e.payload as JobSummary);
const pulls = (engine: TestEngine, id: string) => engine.events.filter((e) => e.event === 'images.pullProgress' && (e.payload as PullProgress).jobId === id).map((e) => e.payload as PullProgress);

describe.runIf(await requireDocker())('a container job that pulls its image (real Docker, fake-registry)', () => {
  let registry: FakeRegistry;
  const pulled: string[] = [];
  beforeAll(async () => {
    registry = await startFakeRegistry(docker, TEST_IMAGE);
  });
  afterAll(async () => {
    for (const image of pulled) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await registry?.close();
  });

  it('Created while pulling, with percent, bytes and layers as the job message and per-layer events; then it runs', async () => {
    const image = registry.add('kfd-test/pulled', `ok-${Date.now().toString(36)}`, 6_000_000);
    pulled.push(image);
    registry.throttle(3_000_000); // the new layer takes about 2 s
    const engine = TestEngine.open(tempDir('pull-data'));
    try {
      const job = await engine.call('jobs.run', { path: workspace('pulls', image), backend: 'container' });
      const done = await engine.waitForStatus(job.id, undefined, 90_000);
      expect(done).toMatchObject({ status: 'Complete' });
      const messages = summaries(engine, job.id).filter((s) => s.status === 'Created').map((s) => s.message ?? '');
      const escaped = image.replace(/[.:/]/g, '\\$&');
      expect(messages.some((m) => new RegExp(`^Pulling image ${escaped}: \\d{1,2}% \\([\\d.]+ \\w?B of [\\d.]+ MB, \\d/\\d layers\\)$`).test(m))).toBe(true);
      const events = pulls(engine, job.id);
      expect(events.at(-1)).toMatchObject({ image, done: true });
      const moving = events.filter((p) => !p.done && p.current > 0 && p.current < p.total);
      expect(moving.length).toBeGreaterThan(0);
      expect(moving[0]!.layers.some((l) => l.status === 'Downloading' && l.total > 5_000_000)).toBe(true);
      expect((await engine.allLogs(job.id)).lines.map((l) => l.text)).toEqual(['ran on the pulled image']);
    } finally {
      await engine.close();
    }
  });

  it('cancel during the pull: Cancelled at once, nothing created, the image not left half-pulled', async () => {
    const image = registry.add('kfd-test/pulled', `cancel-${Date.now().toString(36)}`, 40_000_000);
    pulled.push(image);
    registry.throttle(1_000_000); // 40 s if nobody cancels
    const engine = TestEngine.open(tempDir('pull-cancel-data'));
    try {
      const job = await engine.call('jobs.run', { path: workspace('pullcancel', image), backend: 'container' });
      await waitFor('bytes of the new layer arriving', () => pulls(engine, job.id).some((p) => p.current > 0), 30_000);
      expect((await engine.call('jobs.get', { id: job.id })).status).toBe('Created');
      const t0 = Date.now();
      const cancelled = await engine.call('jobs.cancel', { id: job.id });
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(cancelled).toMatchObject({ status: 'Cancelled', reason: 'Cancelled', message: `Cancelled while pulling image ${image}.` });
      expect(cancelled.startedAt).toBeNull(); // it never ran: the timeline must not show a Running step
      expect(await leftovers(docker, job.id)).toEqual({ containers: [], networks: [] });
      expect(await imagePresent(docker, image)).toBe(false);
    } finally {
      await engine.close();
    }
  });
});

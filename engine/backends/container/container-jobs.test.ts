// Container jobs through the real engine, as the UI and CLI drive them (jobs.* over dispatch):
// the same history, logs, metrics and events as local jobs, cancel, and an app restart mid-job.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine.js';
import { jobEnv } from '../../jobs/test-support/python.js';
import { TestEngine, lineKey } from '../../jobs/test-support/test-engine.js';
import { leftovers, requireDocker, TEST_IMAGE, tempDir, testDocker, tickerScript } from './test-support/docker-parts.js';

function workspace(name: string, script: string, shape: { numNodes: number; numProcPerNode: number }): string {
  const ws = tempDir(`${name}-ws`);
  fs.writeFileSync(path.join(ws, 'train.py'), script);
  fs.writeFileSync(
    path.join(ws, 'trainjob.yaml'),
    [
      'apiVersion: trainer.kubeflow.org/v1alpha1',
      'kind: TrainJob',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  runtimeRef:',
      '    name: torch-distributed',
      '  trainer:',
      `    image: ${TEST_IMAGE}`,
      '    command: ["python3", "train.py"]',
      `    numNodes: ${shape.numNodes}`,
      `    numProcPerNode: ${shape.numProcPerNode}`,
      '',
    ].join('\n'),
  );
  return ws;
}

describe.runIf(await requireDocker())('container jobs through the engine API (real Docker)', () => {
  it('jobs.run --backend container: Complete, per-rank logs paged and streamed, metrics charted, ranks recorded', async () => {
    const engine = TestEngine.open(tempDir('api-data'));
    try {
      const ws = workspace('api', tickerScript(20, 10), { numNodes: 2, numProcPerNode: 1 });
      const job = await engine.call('jobs.run', { path: ws, backend: 'container' });
      expect(job).toMatchObject({ backend: 'container', numNodes: 2, numProcPerNode: 1 });
      const done = await engine.waitForStatus(job.id);
      expect(done).toMatchObject({ status: 'Complete', exitCode: 0 });
      expect(done.ranks.map((r) => `${r.globalRank}/${r.nodeRank}:${r.status}`)).toEqual(['0/0:Succeeded', '1/1:Succeeded']);
      // No host pid: each rank names the container it ran in.
      expect(done.ranks.map((r) => [r.pid, r.container])).toEqual([[null, `kfd-${job.id}-node-0`], [null, `kfd-${job.id}-node-1`]]);
      const { lines } = await engine.allLogs(job.id);
      for (const rank of [0, 1]) {
        expect(lines.filter((l) => l.rank === rank && l.text.startsWith('line ')).map((l) => l.text)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${rank} ${i}`));
      }
      const streamed = new Set(engine.logEvents(job.id).map(lineKey));
      expect(lines.every((l) => streamed.has(lineKey(l)))).toBe(true); // every stored line also went out live
      const { series } = await engine.call('jobs.metrics', { id: job.id, maxPoints: 1000 });
      expect(series.find((s) => s.name === 'loss')?.points).toHaveLength(20);
      expect(engine.statuses(job.id)).toEqual(['Created', 'Running', 'Complete']);
    } finally {
      await engine.close();
    }
  });

  it('jobs.cancel: Cancelled, containers and network gone', async () => {
    const engine = TestEngine.open(tempDir('cancel-data'));
    try {
      const ws = workspace('apicancel', 'import time\nprint("up", flush=True)\ntime.sleep(60)\n', { numNodes: 2, numProcPerNode: 1 });
      const job = await engine.call('jobs.run', { path: ws, backend: 'container' });
      await engine.waitForStatus(job.id, ['Running']);
      expect((await engine.call('jobs.cancel', { id: job.id })).status).toBe('Cancelled');
      expect(await leftovers(testDocker(), job.id)).toEqual({ containers: [], networks: [] });
    } finally {
      await engine.close();
    }
  });

  it('the app closes mid-job and a new one opens: the job is re-attached and its log has every line once', async () => {
    const dataDir = tempDir('restart-data');
    const ws = workspace('apirestart', tickerScript(40, 50), { numNodes: 1, numProcPerNode: 2 });
    const first = TestEngine.open(dataDir);
    const job = await first.call('jobs.run', { path: ws, backend: 'container' });
    await first.waitForStatus(job.id, ['Running']);
    await new Promise((r) => setTimeout(r, 500));
    await first.close(); // the containers keep running
    await new Promise((r) => setTimeout(r, 500));
    const second = TestEngine.open(dataDir);
    try {
      const done = await second.waitForStatus(job.id);
      expect(done).toMatchObject({ status: 'Complete' });
      const { lines } = await second.allLogs(job.id);
      for (const rank of [0, 1]) {
        expect(lines.filter((l) => l.rank === rank && l.text.startsWith('line ')).map((l) => l.text)).toEqual(Array.from({ length: 40 }, (_, i) => `line ${rank} ${i}`));
      }
      expect(second.duplicateMetricRows(job.id)).toEqual([]);
      expect(second.metricRowCount(job.id, 'loss')).toBe(80);
      expect(await leftovers(testDocker(), job.id)).toEqual({ containers: [], networks: [] });
    } finally {
      await second.close();
    }
  });

  it('other engines on the data dir while a container job runs (kfd commands, a second app) copy nothing: every line once', async () => {
    const dataDir = tempDir('owner-data');
    const app = TestEngine.open(dataDir);
    const others: ReturnType<typeof createEngine>[] = [];
    try {
      const job = await app.call('jobs.run', { path: workspace('owner', tickerScript(30, 100), { numNodes: 2, numProcPerNode: 1 }), backend: 'container' });
      await app.waitForStatus(job.id, ['Running']);
      // Each would re-attach and copy the containers' logs into the rank files if it watched the job.
      for (const role of ['client', 'client', 'app'] as const) {
        others.push(createEngine({ dataDir, env: jobEnv(), role }));
        await new Promise((r) => setTimeout(r, 300));
      }
      const done = await app.waitForStatus(job.id, ['Complete', 'Failed', 'Cancelled'], 60_000);
      expect(done.status).toBe('Complete');
      for (const rank of [0, 1]) {
        const texts = (await app.allLogs(job.id, { rank })).lines.map((l) => l.text);
        expect(texts.filter((t) => t.startsWith('line '))).toEqual(Array.from({ length: 30 }, (_, i) => `line ${rank} ${i}`));
      }
      expect(app.duplicateMetricRows(job.id)).toEqual([]);
      expect(app.metricRowCount(job.id, 'loss')).toBe(60);
    } finally {
      for (const e of others) await e.close();
      await app.close();
    }
  });
});

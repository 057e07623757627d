/**
 * The cluster.* API on a real engine (dispatch + events, as the UI and CLI use it), with
 * fake-kind / fake-kubectl / fake-docker on PATH standing for a cluster kind cannot make here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterOperation } from '../../engine/api/contract.js';
import { TestEngine, waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { readClusterRecord } from '../cluster-record.js';
import { nodeNames } from '../create-plan.js';
import { FAKE_IMAGES, writeFakeAssets } from '../test-support/fake-assets.js';
import { createFakeTools } from '../test-support/fake-tools.js';

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.engine.close();
  engine = undefined;
});

function open(extraEnv: Record<string, string> = {}) {
  const dataDir = makeTempDir('cluster', 'svc');
  const fakes = createFakeTools(path.join(dataDir, 'fake-bin'));
  fakes.setNodes(nodeNames('kfd', 0));
  fakes.setImages([FAKE_IMAGES.jobset]);
  writeFakeAssets(dataDir);
  const home = path.join(dataDir, 'home');
  engine = TestEngine.open(dataDir, { ...fakes.env, HOME: home, KUBECONFIG: '', ...extraEnv });
  return { dataDir, fakes, home, engine };
}

const ops = (e: TestEngine, id: string) => e.events.filter((x) => x.event === 'cluster.operation' && (x.payload as ClusterOperation).id === id).map((x) => x.payload as ClusterOperation);

describe('cluster API (fake kind cluster)', () => {
  it('create streams step progress as events, then status lists the cluster, delete removes it', async () => {
    const { dataDir, fakes, engine: e } = open();
    const { operationId } = await e.call('cluster.create', { gpus: 'none' });
    const conflict = await e.callError('cluster.create', { name: 'other' });
    expect(conflict).toMatchObject({ code: 'conflict' });
    const final = await waitFor('create to end', () => e.call('cluster.operation', { id: operationId }).then((op) => op?.status !== 'running' && op), 60_000);
    expect(final.status).toBe('succeeded');
    const events = ops(e, operationId);
    expect(events[0]!.status).toBe('running');
    expect(events.at(-1)).toEqual(final);
    // Progress only moves forward and ends complete.
    const currents = events.map((o) => o.progress.current);
    expect(currents).toEqual([...currents].sort((a, b) => a - b));
    expect(final.progress).toEqual({ current: final.steps.length, max: final.steps.length, description: 'Done' });
    const kindStep = final.steps.find((s) => s.id === 'kind')!;
    expect(kindStep.detail).toBe('1 node(s): kfd-control-plane');
    expect(kindStep.logs).toContain('✓ Starting control-plane');

    const status = await e.call('cluster.status', {});
    expect(status.clusters).toEqual([
      expect.objectContaining({ name: 'kfd', state: 'running', recorded: true, context: 'kind-kfd', nodes: [{ name: 'kfd-control-plane', state: 'running' }] }),
    ]);
    expect(status.assets).toMatchObject({ prepared: true, manifests: ['jobset', 'trainer', 'runtimes'] });
    expect(status.assets.images.find((i) => i.ref === FAKE_IMAGES.jobset)?.present).toBe(true);

    const del = await e.call('cluster.delete', { name: 'kfd' });
    const done = await waitFor('delete', () => e.call('cluster.operation', { id: del.operationId }).then((op) => op?.status !== 'running' && op));
    expect(done.status).toBe('succeeded');
    expect(readClusterRecord(dataDir, 'kfd')).toBeNull();
    expect(fakes.calls().some((c) => c.tool === 'fake-kind' && c.args.join(' ').startsWith('delete cluster --name kfd'))).toBe(true);
  }, 90_000);

  it('cancel stops kind mid-create, deletes what it made and writes no record', async () => {
    const { dataDir, fakes, engine: e } = open({ FAKE_KIND_MODE: 'hang' });
    const { operationId } = await e.call('cluster.create', {});
    await waitFor('kind to start', () => existsSync(path.join(fakes.dir, 'kind.pid')), 30_000);
    expect(await e.call('cluster.cancel', { operationId })).toEqual({ cancelled: true });
    const final = await waitFor('cancel', () => e.call('cluster.operation', { id: operationId }).then((op) => op?.status !== 'running' && op), 30_000);
    expect(final.status).toBe('cancelled');
    expect(final.error).toMatchObject({ step: 'kind', stepTitle: 'Create the kind nodes' });
    expect(final.steps.find((s) => s.id === 'kind')!.status).toBe('cancelled');
    const pid = Number(readFileSync(path.join(fakes.dir, 'kind.pid'), 'utf8'));
    await waitFor('kind process gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000);
    expect(fakes.calls().filter((c) => c.tool === 'fake-kind').map((c) => c.args.slice(0, 2).join(' '))).toEqual(['version', 'get clusters', 'create cluster', 'delete cluster']);
    expect(readClusterRecord(dataDir, 'kfd')).toBeNull();
  }, 60_000);

  it('a failing kind names its step, keeps kind\'s words and says what to do', async () => {
    const { engine: e } = open({ FAKE_KIND_MODE: 'fail' });
    const { operationId } = await e.call('cluster.create', {});
    const final = await waitFor('fail', () => e.call('cluster.operation', { id: operationId }).then((op) => op?.status !== 'running' && op), 30_000);
    expect(final.status).toBe('failed');
    expect(final.error!.step).toBe('kind');
    expect(final.error!.message).toMatch(/^kind create cluster failed at "Starting control-plane": failed to create cluster: failed to init node with kubeadm/);
    expect(final.error!.fix).toContain('kfd cluster logs');
    expect(final.error!.details.lastCommand).toMatch(/^kind create cluster --name kfd/);
  }, 60_000);

  it('kubeconfig: the private file by default; ~/.kube/config only when merge is asked for', async () => {
    const { home, engine: e } = open();
    const { operationId } = await e.call('cluster.create', {});
    await waitFor('create', () => e.call('cluster.operation', { id: operationId }).then((op) => op?.status === 'succeeded'), 60_000);
    const userConfig = path.join(home, '.kube', 'config');
    const plain = await e.call('cluster.kubeconfig', { name: 'kfd' });
    expect(plain).toMatchObject({ context: 'kind-kfd', mergedInto: null });
    expect(existsSync(userConfig)).toBe(false);
    const merged = await e.call('cluster.kubeconfig', { name: 'kfd', merge: true });
    expect(merged.mergedInto).toBe(userConfig);
    expect(readFileSync(userConfig, 'utf8')).toContain('current-context: kind-kfd');
    const logs = await e.call('cluster.logs', { name: 'kfd' });
    expect(existsSync(path.join(logs.dir, 'kind-version.txt'))).toBe(true);
    expect(await e.callError('cluster.kubeconfig', { name: 'nope' })).toMatchObject({ code: 'not_found', message: expect.stringContaining('kfd cluster create --name nope') });
  }, 90_000);

  it('rejects bad input naming the field, before anything runs', async () => {
    const { engine: e } = open();
    expect(await e.callError('cluster.create', { gpus: 'two' })).toMatchObject({ code: 'bad_request', message: expect.stringContaining('--gpus "two"') });
    expect(await e.callError('cluster.create', { name: 'Bad_Name' })).toMatchObject({ code: 'bad_request', message: expect.stringContaining('field `name`') });
    expect(await e.callError('cluster.create', { gpus: 'all' })).toMatchObject({ code: 'bad_request', message: expect.stringContaining('nvidia-smi lists no NVIDIA GPU') });
    expect(await e.callError('cluster.create', { workspaceRoot: 'rel/dir' })).toMatchObject({ code: 'bad_request', message: expect.stringContaining('workspaceRoot: "rel/dir" must be an absolute path') });
    expect(await e.callError('cluster.create', { workspaceRoot: '/nonexistent/kfd-ws' })).toMatchObject({ code: 'bad_request', message: expect.stringContaining('/nonexistent/kfd-ws is not a folder') });
  });
});

/**
 * The failure paths of a create reach the user as clear errors, with the real kind binary and
 * the real Docker: Docker down, a name already in use, and the node image missing offline (no
 * registry is reachable here, so kind's real pull failure is the "image missing" case too).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterOperation } from '../engine/api/contract.js';
import { TestEngine, waitFor } from '../engine/jobs/test-support/test-engine.js';
import { makeTempDir } from '../engine/test-support/real-parts.js';
import { KIND_CLUSTER_LABEL } from './cli/docker-cli.js';
import { defaultNodeImage } from './node-images.js';
import { writeFakeAssets } from './test-support/fake-assets.js';
import { dockerMissing, haveParts, kindMissing } from './test-support/real-tools.js';

const engines: TestEngine[] = [];
const containers: string[] = [];
afterAll(async () => {
  for (const e of engines) await e.engine.close();
  for (const c of containers) execFileSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
});

function open(env: NodeJS.ProcessEnv = process.env) {
  const dataDir = makeTempDir('cluster', 'kind-fail');
  writeFakeAssets(dataDir);
  const e = TestEngine.open(dataDir, env);
  engines.push(e);
  return e;
}

async function createAndWait(e: TestEngine, input: Parameters<TestEngine['call']>[1]): Promise<ClusterOperation> {
  const { operationId } = await e.call('cluster.create', input as never);
  return waitFor('create to end', () => e.call('cluster.operation', { id: operationId }).then((op) => op?.status !== 'running' && op), 120_000, 200);
}

const NODE_IMAGE = defaultNodeImage('v0.30.0')!;
const hasImage = (ref: string) => {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const kindHere = haveParts('the kind binary', kindMissing());
const kindAndDocker = kindHere && haveParts('kind + Docker', dockerMissing());

describe('create failures (real kind, real Docker)', () => {
  it.runIf(kindHere)('Docker down: stops before kind with the reason and how to start it', async () => {
    const op = await createAndWait(open({ ...process.env, DOCKER_HOST: 'unix:///nonexistent/kfd-docker.sock' }), { name: 'kfd-docker-down' });
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ step: 'preflight', message: expect.stringMatching(/^Docker is not reachable: .*Cannot connect to the Docker daemon at unix:\/\/\/nonexistent\/kfd-docker\.sock/) });
    expect(op.error!.fix).toContain('systemctl start docker');
  }, 60_000);

  it.runIf(kindAndDocker)('name in use: kind lists the cluster by its node label, the create stops and says how to free the name', async (t) => {
    const name = `kfd-inuse-${process.pid}`;
    // Any container with kind's cluster label makes kind count the cluster as existing.
    const id = execFileSync('docker', ['run', '-d', '--label', `${KIND_CLUSTER_LABEL}=${name}`, 'kfd-test/python:bookworm', 'sleep', '300'], { encoding: 'utf8' }).trim();
    containers.push(id);
    const op = await createAndWait(open(), { name });
    expect(op.error).toMatchObject({ step: 'preflight', message: `A kind cluster named "${name}" already exists (kind get clusters lists it).` });
    expect(op.error!.fix).toBe(`A cluster named "${name}" already exists: delete it with \`kfd cluster delete --name ${name}\`, or pick another --name`);
  }, 60_000);

  it.runIf(kindAndDocker)('node image missing, offline: says exactly which asset, before kind starts', async (t) => {
    if (hasImage(NODE_IMAGE)) return t.skip(`${NODE_IMAGE} is on this machine`);
    const op = await createAndWait(open(), { name: 'kfd-offline', offline: true });
    expect(op.error!.step).toBe('assets');
    expect(op.error!.message).toContain(`node image ${NODE_IMAGE}`);
    expect(op.error!.fix).toContain('kfd cluster prepare');
    expect(op.steps.find((s) => s.id === 'kind')!.status).toBe('pending');
  }, 60_000);

  it.runIf(kindAndDocker)('node image missing, online: the real kind fails pulling it, and the error is kind\'s, tagged on the kind step', async (t) => {
    if (hasImage(NODE_IMAGE)) return t.skip(`${NODE_IMAGE} is on this machine`);
    const e = open();
    const op = await createAndWait(e, { name: 'kfd-no-image' });
    expect(op.error!.step).toBe('kind');
    expect(op.error!.message).toMatch(/^kind create cluster failed at "Ensuring node image \(kindest\/node:v1\.34\.0\)": failed to create cluster: failed to pull image "kindest\/node:v1\.34\.0@sha256:/);
    expect(op.error!.fix).toMatch(/^The kind node image could not be pulled \(offline\?\)\. Run `kfd cluster prepare`/);
    expect(op.steps.find((s) => s.id === 'kind')!.logs.join('\n')).toContain('✗ Ensuring node image (kindest/node:v1.34.0)');
    // kind made no node, so nothing is left and no record is written.
    expect((await e.call('cluster.status', {})).clusters.map((c) => c.name)).not.toContain('kfd-no-image');
  }, 120_000);
});

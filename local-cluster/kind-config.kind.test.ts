/**
 * Real part: the kind binary decodes configs strictly and validates them before it starts any
 * node, so "it got as far as Ensuring node image" proves kind accepts every field we write.
 * The node image named here does not exist, so kind stops there (no registry on these machines
 * either way) and nothing is created.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probe } from '../engine/doctor/probe.js';
import { kindClusterConfig } from './kind-config.js';
import { kindProgress } from './kind-progress.js';
import { dockerMissing, haveParts, kindMissing, onPath, tempDir } from './test-support/real-tools.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.cleanup());

const ABSENT_IMAGE = 'kfd-test/kind-config-check:absent';

async function kindCreate(kind: string, yaml: string): Promise<string> {
  const file = path.join(tmp.dir, 'kind.yaml');
  await writeFile(file, yaml);
  const r = await probe(kind, ['create', 'cluster', '--config', file], { env: process.env, timeoutMs: 60_000 });
  expect(r.exitCode).not.toBe(0); // the absent image must stop it
  return r.stderr;
}

describe.runIf(haveParts('kind + Docker', kindMissing(), dockerMissing()))('kind accepts the generated config (real kind binary)', () => {
  it('decodes and validates every field: GPUs, labels, workspace, ports, mirror, CDI, own pod network, cgroup v1', async () => {
    const kind = onPath('kind')!;
    const { yaml } = kindClusterConfig({
      name: 'kfd-config-check',
      kindVersion: 'v0.30.0',
      nodeImage: ABSENT_IMAGE,
      workers: 2,
      gpus: [{ mode: 'all' }, { mode: 'per-gpu', gpuIndexes: [0, 1] }],
      workspaceRoot: tmp.dir,
      portMappings: [{ containerPort: 30080, hostPort: 18080 }],
      registryMirror: { host: 'localhost:5001', endpoint: 'http://kfd-registry:5000' },
      cdi: true,
      nodePodNetwork: true,
      hostCgroupV1: true,
    });
    const stderr = await kindCreate(kind, yaml);
    expect(stderr).toContain('Creating cluster "kfd-config-check" ...');
    expect(stderr).toContain(`Ensuring node image (${ABSENT_IMAGE})`);
    expect(stderr).not.toContain('unable to decode config');
    // The progress parser reads the same real output: failed at the image step.
    expect(kindProgress(stderr)).toMatchObject({ step: 'ensure-image', failed: true, cluster: 'kfd-config-check' });
  });

  it('would catch a misspelt field (kind decodes strictly)', async () => {
    const kind = onPath('kind')!;
    const { yaml } = kindClusterConfig({ name: 'kfd-config-check', kindVersion: 'v0.30.0', nodeImage: ABSENT_IMAGE, workers: 0, gpus: { mode: 'all' } });
    const stderr = await kindCreate(kind, yaml.replace('labels:', 'labelz:'));
    expect(stderr).toMatch(/unable to decode config: .*\n.*field labelz not found in type v1alpha4\.Node/);
    expect(kindProgress(stderr)).toMatchObject({ step: 'starting', failed: true });
  });
});

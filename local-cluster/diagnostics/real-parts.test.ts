/** Real parts: the kind binary and the Docker engine on this machine. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SETTINGS } from '../../engine/doctor/test-support/fake-bin.js';
import { dockerMissing, haveParts, kindMissing } from '../test-support/real-tools.js';
import { assessDockerMemory, dockerMemory } from './docker-memory.js';
import { readDockerInfo } from './docker-info.js';
import { assessKindVersion, kindBinary } from './kind-binary.js';
import { nvidiaRuntime } from './nvidia-runtime.js';

const dockerHere = haveParts('Docker', dockerMissing());
const kindHere = haveParts('the kind binary', kindMissing());
const ctx = { env: process.env, settings: DEFAULT_TEST_SETTINGS, cluster: { name: 'kfd', kindVersion: 'v0.30.0', workers: 0 } };

describe('docker-memory', () => {
  it.runIf(dockerHere)('reads MemTotal from the real Docker', async () => {
    const r = await dockerMemory.run(ctx);
    expect(r.status).not.toBe('missing');
    expect(r.detail).toMatch(/^Docker \S+ has \d+\.\d GiB of memory/);
  });
  it('warns below 6 GiB and is missing when Docker does not answer', async () => {
    expect(assessDockerMemory(4 * 1024 ** 3, '27.0').status).toBe('warning');
    expect(assessDockerMemory(8 * 1024 ** 3, '27.0')).toEqual({ status: 'ok', detail: 'Docker 27.0 has 8.0 GiB of memory.', fix: '' });
    const r = await dockerMemory.run({ ...ctx, env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/kfd.sock' } });
    expect(r.status).toBe('missing');
    expect(r.detail).toMatch(/^Docker is not reachable: /);
  });
  it.runIf(dockerHere)('gives the nvidia-runtime check a real answer (no GPU here: missing)', async () => {
    const answer = await readDockerInfo(ctx);
    if (!('info' in answer)) throw new Error(answer.failure);
    const hasNvidia = Object.keys(answer.info.Runtimes ?? {}).some((k) => k.startsWith('nvidia'));
    const r = await nvidiaRuntime.run({ ...ctx, cluster: { ...ctx.cluster, gpus: { mode: 'all' } } });
    if (!hasNvidia) expect(r).toMatchObject({ status: 'missing', fix: expect.stringContaining('nvidia-container-toolkit') });
  });
});

describe('kind-binary', () => {
  it.runIf(kindHere)('finds the real kind and its pinned node image', async () => {
    const r = await kindBinary.run(ctx);
    expect(r.detail).toMatch(/^kind v\d+\.\d+\.\d+ at \//);
    if (r.detail.startsWith('kind v0.30.0 ')) expect(r.status).toBe('ok');
  });
  it('warns on a version mismatch or an unpinned release', () => {
    const found = { status: 'ok' as const, detail: 'kind v0.27.0 at /usr/bin/kind.', fix: '' };
    expect(assessKindVersion(found, 'v0.30.0')).toMatchObject({ status: 'warning', fix: 'go install sigs.k8s.io/kind@v0.30.0' });
    expect(assessKindVersion(found).detail).toContain('No node image is pinned for kind v0.27.0');
    expect(assessKindVersion({ ...found, detail: 'kind v0.30.0 at /k.' }, '0.30.0').status).toBe('ok');
    expect(assessKindVersion({ status: 'missing', detail: 'x', fix: 'y' })).toEqual({ status: 'missing', detail: 'x', fix: 'y' });
  });
});

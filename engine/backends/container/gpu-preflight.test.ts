// The GPU preflight, checked at its boundary with fake-nvidia-smi and fake-docker-info (these
// machines have no GPU), and the container backend refusing to start a GPU job it cannot serve.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeNvidiaSmi, DRIVER_NOT_LOADED, TWO_GPUS } from '../../doctor/test-support/fake-nvidia-smi.js';
import { makeTempDir } from '../../doctor/test-support/fake-bin.js';
import { createContainerBackend } from './container-backend.js';
import { gatherGpuFacts, gpuPreflight, type GpuHostFacts } from './gpu-preflight.js';
import { FAKE_DOCKER_INFO_CDI, FAKE_DOCKER_INFO_NVIDIA_RUNTIME, FAKE_DOCKER_INFO_PLAIN, FAKE_NVIDIA_CDI_SPEC, fakeEngine } from './test-support/fake-docker-info.js';
import { jobFolders, makeLaunch, recorder, requireDocker } from './test-support/docker-parts.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A host: a PATH with fake-nvidia-smi (or none) and a CDI spec dir (with the nvidia spec or empty). */
async function host(opts: { smi?: 'two-gpus' | 'no-driver' | 'absent'; cdiSpec?: boolean } = {}) {
  const { dir, cleanup } = await makeTempDir('kfd-gpu-');
  cleanups.push(cleanup);
  const bin = path.join(dir, 'bin');
  const cdi = path.join(dir, 'cdi');
  fs.mkdirSync(bin);
  fs.mkdirSync(cdi);
  if (opts.smi !== 'absent') await createFakeNvidiaSmi(bin, opts.smi === 'no-driver' ? { exitCode: 9, stderr: DRIVER_NOT_LOADED } : { rows: TWO_GPUS });
  if (opts.cdiSpec) fs.writeFileSync(path.join(cdi, 'nvidia.yaml'), FAKE_NVIDIA_CDI_SPEC);
  return { env: { PATH: bin }, specDirs: [cdi] };
}

async function facts(engine: ReturnType<typeof fakeEngine>, opts: Parameters<typeof host>[0]): Promise<GpuHostFacts> {
  const h = await host(opts);
  return gatherGpuFacts(engine, h.env, h.specDirs);
}

describe('GPU preflight (fake-nvidia-smi, fake-docker-info)', () => {
  it('Docker with the nvidia runtime and 2 GPUs: nvidia device requests; all of them when the request covers the host', async () => {
    const f = await facts(fakeEngine(FAKE_DOCKER_INFO_NVIDIA_RUNTIME), { smi: 'two-gpus' });
    expect(f).toMatchObject({ engine: 'Docker', runtimes: expect.arrayContaining(['nvidia']), nvidiaSmi: { found: true, gpus: 2, error: '' } });
    expect(gpuPreflight(f, 1)).toEqual({ ok: true, attach: { via: 'nvidia', count: 1 }, hostGpus: 2 });
    expect(gpuPreflight(f, 2)).toEqual({ ok: true, attach: { via: 'nvidia', count: 'all' }, hostGpus: 2 });
  });

  it('Docker 28 with CDI and an nvidia spec: CDI devices', async () => {
    const f = await facts(fakeEngine(FAKE_DOCKER_INFO_CDI, 'Docker', '28.2.2'), { smi: 'two-gpus', cdiSpec: true });
    expect(gpuPreflight(f, 2)).toMatchObject({ ok: true, attach: { via: 'cdi', count: 'all' } });
  });

  it('no nvidia-smi and no nvidia hook: both named, each with its fix', async () => {
    const f = await facts(fakeEngine(FAKE_DOCKER_INFO_PLAIN, 'Docker', '20.10.24'), { smi: 'absent' });
    const r = gpuPreflight(f, 1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.missing.map((m) => m.what)).toEqual([
      'nvidia-smi is not on PATH, so there is no NVIDIA driver on this machine',
      'Docker 20.10.24 has no NVIDIA hook (no "nvidia" runtime in docker info)',
    ]);
    expect(r.message).toBe(
      'This job asks for 1 GPU(s) per node, but the Docker engine here cannot give them: (1) nvidia-smi is not on PATH, so there is no NVIDIA driver on this machine: ' +
        'install the NVIDIA driver (sudo apt-get install nvidia-driver, then reboot); (2) Docker 20.10.24 has no NVIDIA hook (no "nvidia" runtime in docker info): ' +
        'install the NVIDIA Container Toolkit, then `sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker`.',
    );
  });

  it('a driver that does not answer, and more GPUs asked than there are', async () => {
    const broken = await facts(fakeEngine(FAKE_DOCKER_INFO_NVIDIA_RUNTIME), { smi: 'no-driver' });
    const r = gpuPreflight(broken, 1);
    expect(!r.ok && r.missing[0]!.what).toMatch(/^the NVIDIA driver does not answer: nvidia-smi \(.*\) exited 9: NVIDIA-SMI has failed/);
    const two = await facts(fakeEngine(FAKE_DOCKER_INFO_NVIDIA_RUNTIME), { smi: 'two-gpus' });
    const many = gpuPreflight(two, 4);
    expect(!many.ok && many.missing).toEqual([{ what: '4 GPU(s) per node requested but nvidia-smi lists 2', fix: 'lower nvidia.com/gpu in resourcesPerNode to 2' }]);
  });

  it('Podman: too old before 5.4; from 5.4 it needs a CDI spec, then attaches through CDI', async () => {
    const old = gpuPreflight(await facts(fakeEngine(FAKE_DOCKER_INFO_PLAIN, 'Podman', '4.9.3'), { smi: 'two-gpus', cdiSpec: true }), 1);
    expect(!old.ok && old.missing).toEqual([{ what: 'Podman 4.9.3 cannot attach GPUs through its Docker-compatible API (needs 5.4.0 or later)', fix: 'upgrade Podman to 5.4.0 or later' }]);
    const noSpec = gpuPreflight(await facts(fakeEngine(FAKE_DOCKER_INFO_PLAIN, 'Podman', '5.4.1'), { smi: 'two-gpus' }), 1);
    expect(!noSpec.ok && noSpec.missing[0]!.fix).toBe('install the NVIDIA Container Toolkit, then `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`');
    const ready = gpuPreflight(await facts(fakeEngine(FAKE_DOCKER_INFO_PLAIN, 'Podman', '5.4.1'), { smi: 'two-gpus', cdiSpec: true }), 1);
    expect(ready).toEqual({ ok: true, attach: { via: 'cdi', count: 1 }, hostGpus: 2 });
  });

  it('only NVIDIA GPUs can be attached', () => {
    const f: GpuHostFacts = { engine: 'Docker', version: '24.0.7', runtimes: ['nvidia'], cdiSpecDirs: [], nvidiaSmi: { found: true, gpus: 1, error: '' }, cdiSpecs: [] };
    const r = gpuPreflight(f, 1, 'amd.com/gpu');
    expect(!r.ok && r.missing[0]!.what).toBe('amd.com/gpu is not a GPU this backend can attach (only nvidia.com/gpu)');
  });
});

describe.runIf(await requireDocker())('a GPU job on the container backend (real Docker, fake GPU boundary)', () => {
  const gpuTrainer = { command: ['python3', 'train.py'], resourcesPerNode: { limits: { 'nvidia.com/gpu': 1 } } };

  it('the preflight fails: the job does not start and says exactly what is missing', async () => {
    const backend = createContainerBackend({ gpuFacts: async (c) => facts(fakeEngine(FAKE_DOCKER_INFO_PLAIN, c.engine, c.version), { smi: 'absent' }) });
    const f = jobFolders('gpu-missing', 'print(1)\n');
    const outcome = await (await backend.start(makeLaunch(gpuTrainer, f), recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'StartFailed' });
    expect(outcome.message).toMatch(/^This job asks for 1 GPU\(s\) per node, but the Docker engine here cannot give them: \(1\) nvidia-smi is not on PATH/);
  });

  it('the preflight passes (fake): the nvidia device request reaches the real engine, which has no such driver', async () => {
    const backend = createContainerBackend({ gpuFacts: async (c) => facts(fakeEngine(FAKE_DOCKER_INFO_NVIDIA_RUNTIME, c.engine, c.version), { smi: 'two-gpus' }) });
    const f = jobFolders('gpu-fake', 'print(1)\n');
    const outcome = await (await backend.start(makeLaunch(gpuTrainer, f), recorder())).done;
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'StartFailed' });
    expect(outcome.message).toMatch(/could not select device driver "nvidia" with capabilities: \[\[gpu\]\]/);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assessCdiSpecs, findNvidiaSpecs, nvidiaSpecKind } from './cdi-specs.js';
import { wantsGpus } from './diagnostic.js';
import { parseDockerInfo } from './docker-info.js';
import { assessNvidiaRuntime } from './nvidia-runtime.js';
import { assessToolkitSetting, checkToolkitConfig, parseToolkitSetting } from './nvidia-toolkit-config.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('nvidia-runtime', () => {
  it('is ok when nvidia is the default (fake GPU host docker info)', () => {
    const info = parseDockerInfo(readFileSync(fixture('fake-docker-info-nvidia.json'), 'utf8'));
    expect(info && assessNvidiaRuntime(info)).toEqual({ status: 'ok', detail: "Docker's default runtime is nvidia.", fix: '' });
  });
  it('warns when nvidia is installed but not the default', () => {
    const r = assessNvidiaRuntime({ DefaultRuntime: 'runc', Runtimes: { runc: {}, nvidia: {} } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain('but its default is runc');
    expect(r.fix).toBe('sudo nvidia-ctk runtime configure --runtime=docker --set-as-default && sudo systemctl restart docker');
  });
  it('is missing on a host without the toolkit (this machine\'s real runtimes)', () => {
    const r = assessNvidiaRuntime({ DefaultRuntime: 'runc', Runtimes: { 'io.containerd.runc.v2': {}, runc: {} } });
    expect(r).toMatchObject({ status: 'missing', detail: 'Docker has no nvidia runtime (runtimes: io.containerd.runc.v2, runc).' });
  });
  it('reads only JSON objects as docker info', () => {
    expect(parseDockerInfo('not json')).toBeNull();
    expect(parseDockerInfo('[1]')).toBeNull();
  });
});

describe('nvidia-toolkit-config', () => {
  it('finds the setting in the fake GPU host config', async () => {
    expect(await checkToolkitConfig(fixture('fake-nvidia-container-runtime-config.toml'))).toMatchObject({ status: 'ok' });
  });
  it('parses the top-level key only', () => {
    expect(parseToolkitSetting('accept-nvidia-visible-devices-as-volume-mounts = true\n')).toEqual({ value: true, line: 1 });
    expect(parseToolkitSetting('a = 1\naccept-nvidia-visible-devices-as-volume-mounts=false # off\n')).toEqual({ value: false, line: 2 });
    expect(parseToolkitSetting('#accept-nvidia-visible-devices-as-volume-mounts = true\n')).toEqual({ value: null, line: 0 });
    expect(parseToolkitSetting('[nvidia-container-cli]\naccept-nvidia-visible-devices-as-volume-mounts = true\n')).toEqual({ value: null, line: 0 });
    expect(parseToolkitSetting('accept-nvidia-visible-devices-as-volume-mounts = "true"')).toEqual({ value: true, line: 1 });
  });
  it('explains what is wrong and how to fix it', () => {
    expect(assessToolkitSetting({ value: false, line: 3 }, '/x.toml')).toEqual({
      status: 'missing',
      detail: 'accept-nvidia-visible-devices-as-volume-mounts is false at /x.toml:3; GPUs cannot be passed to kind nodes.',
      fix: 'sudo nvidia-ctk config --set accept-nvidia-visible-devices-as-volume-mounts=true --in-place && sudo systemctl restart docker',
    });
    expect(assessToolkitSetting({ value: null, line: 0 }, '/x.toml').detail).toContain('is not set in /x.toml (default false)');
  });
  it('says the toolkit is not installed when the file is absent', async () => {
    const r = await checkToolkitConfig('/nonexistent/kfd/config.toml');
    expect(r.status).toBe('missing');
    expect(r.detail).toContain('does not exist: the NVIDIA Container Toolkit is not installed');
  });
});

describe('cdi-specs', () => {
  it('finds the NVIDIA spec among others (fake GPU host CDI dir) and tolerates missing dirs', async () => {
    const found = await findNvidiaSpecs([fixture('fake-cdi'), '/nonexistent/kfd/cdi']);
    expect(found).toEqual([`${fixture('fake-cdi/nvidia.yaml')} (nvidia.com/gpu)`]);
    expect(assessCdiSpecs(found, []).status).toBe('ok');
  });
  it('is missing with the generate command when there is none', () => {
    expect(assessCdiSpecs([], ['/etc/cdi', '/var/run/cdi'])).toEqual({
      status: 'missing',
      detail: 'No NVIDIA CDI spec in /etc/cdi or /var/run/cdi.',
      fix: 'sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml',
    });
  });
  it('reads the kind from YAML or JSON', () => {
    expect(nvidiaSpecKind('{"kind":"nvidia.com/mig"}')).toBe('nvidia.com/mig');
    expect(nvidiaSpecKind('kind: vendor.example/x')).toBeNull();
    expect(nvidiaSpecKind(': : :')).toBeNull();
  });
});

describe('wantsGpus', () => {
  it('is true only when some node gets GPUs', () => {
    expect(wantsGpus({ name: 'k', kindVersion: 'v0.30.0', workers: 0 })).toBe(false);
    expect(wantsGpus({ name: 'k', kindVersion: 'v0.30.0', workers: 2, gpus: [{ mode: 'none' }, { mode: 'all' }] })).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SETTINGS } from '../test-support/fake-bin.js';
import { engineEndpoints, identifyEngine, parseEngineAddress, wellKnownSockets } from './container-endpoints.js';

describe('engineEndpoints', () => {
  it('tries the setting, DOCKER_HOST, then the well-known sockets, without duplicates', () => {
    const env = { DOCKER_HOST: 'unix:///var/run/docker.sock', HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' };
    const list = engineEndpoints(env, { ...DEFAULT_TEST_SETTINGS, containerSocket: '/srv/podman.sock' });
    expect(list).toEqual([
      { kind: 'unix', socketPath: '/srv/podman.sock', source: 'containerSocket setting' },
      { kind: 'unix', socketPath: '/var/run/docker.sock', source: 'DOCKER_HOST' },
      { kind: 'unix', socketPath: '/home/u/.docker/run/docker.sock', source: 'default' },
      { kind: 'unix', socketPath: '/run/user/1000/podman/podman.sock', source: 'default' },
      { kind: 'unix', socketPath: '/run/podman/podman.sock', source: 'default' },
    ]);
  });

  it('leaves out sockets whose directories are unknown (no HOME, no XDG_RUNTIME_DIR)', () => {
    expect(wellKnownSockets({})).toEqual(['/var/run/docker.sock', '/run/podman/podman.sock']);
  });

  it('lets KFD_CONTAINER_SOCKETS replace the well-known list', () => {
    expect(wellKnownSockets({ KFD_CONTAINER_SOCKETS: '/a.sock:/b.sock', HOME: '/h' })).toEqual(['/a.sock', '/b.sock']);
    expect(wellKnownSockets({ KFD_CONTAINER_SOCKETS: '' })).toEqual([]);
  });
});

describe('parseEngineAddress', () => {
  it('takes unix:// and bare paths as sockets, tcp:// as-is, reports other schemes', () => {
    expect(parseEngineAddress('unix:///run/docker.sock', 's')).toMatchObject({ kind: 'unix', socketPath: '/run/docker.sock' });
    expect(parseEngineAddress('/run/docker.sock', 's')).toMatchObject({ kind: 'unix', socketPath: '/run/docker.sock' });
    expect(parseEngineAddress('tcp://10.0.0.5:2375', 's')).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(parseEngineAddress('tcp://docker', 's')).toMatchObject({ kind: 'tcp', host: 'docker', port: 2375 });
    expect(parseEngineAddress('ssh://me@host', 's')).toMatchObject({ kind: 'unsupported', url: 'ssh://me@host' });
  });
});

describe('identifyEngine', () => {
  it('recognises Podman by its "Podman Engine" component', () => {
    const podman = {
      Version: '4.9.3',
      ApiVersion: '1.41',
      Components: [
        { Name: 'Podman Engine', Version: '4.9.3' },
        { Name: 'Conmon', Version: 'conmon version 2.1.10' },
      ],
    };
    expect(identifyEngine(podman)).toEqual({ engine: 'Podman', version: '4.9.3', apiVersion: '1.41' });
  });

  it('calls anything else Docker', () => {
    const docker = { Version: '20.10.24+dfsg1', ApiVersion: '1.41', Components: [{ Name: 'Engine', Version: '20.10.24+dfsg1' }] };
    expect(identifyEngine(docker)).toEqual({ engine: 'Docker', version: '20.10.24+dfsg1', apiVersion: '1.41' });
  });
});

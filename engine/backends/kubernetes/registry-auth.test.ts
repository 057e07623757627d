import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/real-parts.js';
import { registryAuth, registryHost } from './registry-auth.js';

describe('registry credentials for a push', () => {
  it('the registry of an image reference', () => {
    expect(registryHost('registry.example.com:5000/team/img:1')).toBe('registry.example.com:5000');
    expect(registryHost('127.0.0.1:5000/kubeflow-desktop/x:1')).toBe('127.0.0.1:5000');
    expect(registryHost('localhost/x:1')).toBe('localhost');
    expect(registryHost('team/img:1')).toBe('docker.io');
  });

  it('come from the Docker config, from a credential helper, or none (anonymous)', async () => {
    const dir = makeTempDir('k8s', 'dockercfg');
    const env = { DOCKER_CONFIG: dir, PATH: `${dir}:${process.env.PATH}` };
    expect(await registryAuth('reg.example/x:1', env)).toEqual({ serveraddress: 'reg.example' });
    // fake-docker-credential-helper: stands for a desktop keychain helper (docker-credential-osxkeychain …).
    fs.writeFileSync(path.join(dir, 'docker-credential-fake'), '#!/bin/sh\nread host\nprintf \'{"ServerURL":"%s","Username":"robot","Secret":"s3cret"}\' "$host"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { 'reg.example': { auth: Buffer.from('me:pa:ss').toString('base64') } }, credHelpers: { 'helper.example': 'fake' } }));
    expect(await registryAuth('reg.example/x:1', env)).toEqual({ username: 'me', password: 'pa:ss', serveraddress: 'reg.example' });
    expect(await registryAuth('helper.example/x:1', env)).toEqual({ username: 'robot', password: 's3cret', serveraddress: 'helper.example' });
    expect(await registryAuth('other.example/x:1', env)).toEqual({ serveraddress: 'other.example' });
  });
});

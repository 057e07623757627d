import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { skipMissingPart } from '../../test-support/real-parts.js';
import { DEFAULT_TEST_SETTINGS, makeTempDir } from '../test-support/fake-bin.js';
import { FIX_INSTALL, run } from './container-engine.js';

const DOCKER_SOCKET = '/var/run/docker.sock';

/** Asks the real socket directly (not through the check) whether Docker is up. */
function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}
const dockerUp = await ping(DOCKER_SOCKET);

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('container-engine check', () => {
  it('finds the real Docker engine and says which socket answered', async (t) => {
    if (!dockerUp) return skipMissingPart('Docker', `no engine answers at ${DOCKER_SOCKET} (start dockerd)`, t.skip);
    const env = { KFD_CONTAINER_SOCKETS: DOCKER_SOCKET };
    const r = await run({ env, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('ok');
    expect(r.detail).toMatch(/^Docker \S+ \(API \d+\.\d+\) at \/var\/run\/docker\.sock\.$/);
  });

  it('is missing, with the install command, when no socket exists', async () => {
    const nowhere = path.join(tmp.dir, 'docker.sock');
    const r = await run({ env: { KFD_CONTAINER_SOCKETS: nowhere }, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('missing');
    expect(r.detail).toBe(`No Docker or Podman engine answered. Tried:\n  ${nowhere}: no socket there`);
    expect(r.fix).toBe(FIX_INSTALL);
    expect(FIX_INSTALL).toContain('sudo apt-get install docker.io && sudo systemctl start docker');
  });

  it('reports a socket nobody listens on, and an unsupported DOCKER_HOST', async () => {
    const dead = path.join(tmp.dir, 'dead.sock');
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(dead, r));
    await new Promise<void>((r) => server.close(() => r())); // closed listener: the file may linger
    const r = await run({ env: { KFD_CONTAINER_SOCKETS: dead, DOCKER_HOST: 'ssh://me@host' }, settings: DEFAULT_TEST_SETTINGS });
    expect(r.status).toBe('missing');
    expect(r.detail).toContain('ssh://me@host (DOCKER_HOST): only unix:// and tcp:// addresses are supported here');
    expect(r.detail).toMatch(/dead\.sock: (nothing is listening|no socket there)/);
  });

  it('warns when the containerSocket setting is wrong but another engine answers', async (t) => {
    if (!dockerUp) return skipMissingPart('Docker', `no engine answers at ${DOCKER_SOCKET} (start dockerd)`, t.skip);
    const wrong = path.join(tmp.dir, 'wrong.sock');
    const r = await run({ env: { KFD_CONTAINER_SOCKETS: DOCKER_SOCKET }, settings: { ...DEFAULT_TEST_SETTINGS, containerSocket: wrong } });
    expect(r.status).toBe('warning');
    expect(r.detail).toContain(`The containerSocket setting ${wrong} does not answer: no socket there.`);
    expect(r.fix).toBe(`Set the containerSocket setting to ${DOCKER_SOCKET}, or clear it to discover`);
  });
});

import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SETTINGS } from '../../engine/doctor/test-support/fake-bin.js';
import { hostPorts, tryListen } from './host-ports.js';

let held: Server | undefined;
afterEach(() => new Promise<void>((r) => (held ? held.close(() => r()) : r())));

async function holdPort(): Promise<number> {
  held = createServer();
  await new Promise<void>((r) => held!.listen(0, '127.0.0.1', r));
  return (held.address() as { port: number }).port;
}

const ctx = (ports: { hostPort: number; protocol?: 'TCP' | 'UDP' }[]) => ({
  env: process.env,
  settings: DEFAULT_TEST_SETTINGS,
  cluster: { name: 'kfd', kindVersion: 'v0.30.0', workers: 0, portMappings: ports.map((p) => ({ containerPort: 30000, ...p })) },
});

describe('host-ports (real sockets)', () => {
  it('is not applicable without port mappings', () => {
    expect(hostPorts.applicable(ctx([]))).toBe(false);
  });

  it('reports a port another program holds, and passes once it is released', async () => {
    const port = await holdPort();
    expect(await tryListen({ hostPort: port, protocol: 'TCP', listenAddress: '127.0.0.1' })).toBe('EADDRINUSE');
    const r = await hostPorts.run(ctx([{ hostPort: port }]));
    expect(r).toMatchObject({ status: 'missing', detail: `Cannot map 127.0.0.1:${port}/TCP (in use by another program).` });
    await new Promise<void>((res) => held!.close(() => res()));
    held = undefined;
    expect(await hostPorts.run(ctx([{ hostPort: port }, { hostPort: port, protocol: 'UDP' }]))).toEqual({
      status: 'ok',
      detail: `Ports ${port}/TCP, ${port}/UDP are free.`,
      fix: '',
    });
  });
});

/** Probing a target that cannot be reached says why, quickly (a real socket, nothing listening). */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestEngine } from '../../jobs/test-support/test-engine.js';
import { makeTempDir } from '../../test-support/real-parts.js';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('probe of an unreachable target', () => {
  it('reports it unreachable with the cause; a job for it fails to start with the same sentence', async () => {
    const dir = makeTempDir('k8s', 'unreach');
    const port = await closedPort();
    const kubeconfig = path.join(dir, 'config');
    fs.writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }], 'current-context': 'gone' }));
    const ws = makeTempDir('k8s', 'unreach-ws');
    fs.writeFileSync(path.join(ws, 'trainjob.yaml'), 'apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: { name: x }\nspec:\n  runtimeRef: { name: torch-distributed }\n  trainer: { command: [python3, train.py] }\n');
    const te = TestEngine.open(makeTempDir('k8s', 'unreach-data'), { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig });
    try {
      const probe = await te.call('targets.probe', { target: 'gone' });
      expect(probe).toMatchObject({ reachable: false, serverVersion: null });
      expect(probe.error).toBe(`Cannot reach https://127.0.0.1:${port}: nothing listens there (is the cluster running?) (ECONNREFUSED).`);
      const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes' }); // the current context
      const done = await te.waitForStatus(job.id);
      expect(done).toMatchObject({ status: 'Failed', reason: 'StartFailed', target: 'gone/default' });
      expect(done.message).toBe(`Cannot submit to gone: ${probe.error}`);
    } finally {
      await te.close();
    }
  });
});

/**
 * A real container registry for push tests: the CNCF distribution registry built from Go modules
 * by e2e/registry/build-registry.sh (.ci/run builds it; missing, the tests that need it skip
 * locally and fail under CI). Listens on 127.0.0.1, which Docker treats as an insecure registry
 * without configuration. No test-runner import: vitest and Playwright both use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETPRIV } from '../k8s-harness/processes.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function registryBinary(): string {
  return path.join(process.env.KFD_REGISTRY_CACHE || path.join(repo, 'e2e/registry/.cache'), 'bin', 'registry');
}

export function registryMissing(): string | null {
  return fs.existsSync(registryBinary()) ? null : `no test registry at ${registryBinary()}; build it with e2e/registry/build-registry.sh`;
}

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:40123 */
  address: string;
  tags(repository: string): Promise<string[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startRegistry(): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-test-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: ${dir}/data }, delete: { enabled: true } }\nhttp: { addr: 127.0.0.1:${port} }\n`);
  // Under pdeathsig, like the harness's processes: a killed test run leaves no registry behind.
  const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', registryBinary(), 'serve', config]] : [registryBinary(), ['serve', config]];
  const child: ChildProcess = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://${address}/v2/`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`the test registry did not start: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    async tags(repository) {
      const r = await fetch(`http://${address}/v2/${repository}/tags/list`);
      return r.status === 200 ? ((await r.json()) as { tags?: string[] }).tags ?? [] : [];
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

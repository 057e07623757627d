/**
 * Commands and an idle app load only what they use: `kfd version` and `kfd jobs`, and web mode
 * answering the Jobs page, never load the Docker, Kubernetes or Jupyter clients (they cost
 * seconds of start-up and tens of MB). Module loads are recorded by a loader hook.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KFD_BIN, kfdEnv } from '../engine/jobs/test-support/kfd-cli.js';
import { tempDir } from '../engine/jobs/test-support/parts.js';

const HOOK = path.join(import.meta.dirname, 'test-support', 'record-loads.mjs');
const HEAVY = ['dockerode', '@kubernetes/client-node', '@jupyterlab/services', 'chokidar', 'execa', 'yaml'];

function packagesIn(file: string): string[] {
  const urls = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n): n is string => Boolean(n));
  return [...new Set(names)].sort();
}

describe('what a command loads', () => {
  it('kfd version and kfd jobs load none of the Docker, Kubernetes or Jupyter clients', async () => {
    const dir = tempDir('lazy-cli');
    for (const args of [['version'], ['jobs'], ['show', 'nope']]) {
      const loads = path.join(dir, `${args[0]}.txt`);
      await promisify(execFile)(process.execPath, ['--import', HOOK, KFD_BIN, ...args], { env: { ...kfdEnv(path.join(dir, 'data')), KFD_TEST_LOADS_FILE: loads } }).catch(() => undefined);
      const loaded = packagesIn(loads);
      expect(loaded, args.join(' ')).toContain('commander');
      expect(loaded.filter((p) => HEAVY.includes(p)), args.join(' ')).toEqual([]);
    }
  }, 60_000);

  it('web mode serving the Jobs page loads none of them either; the Workspace page loads what it needs', async () => {
    const dir = tempDir('lazy-serve');
    const loads = path.join(dir, 'serve.txt');
    const child = spawn(process.execPath, ['--import', HOOK, KFD_BIN, 'serve'], { env: { ...kfdEnv(path.join(dir, 'data')), KFD_TEST_LOADS_FILE: loads, KFD_TOKEN: 'lazy' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+\/)\?token=/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const call = (method: string) => fetch(`${url}api/${method}`, { method: 'POST', headers: { Authorization: 'Bearer lazy', 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json());
      for (const method of ['version', 'settings.get', 'jobs.list']) expect(await call(method)).not.toHaveProperty('error');
      expect(packagesIn(loads).filter((p) => HEAVY.includes(p))).toEqual([]);
      await call('workspace.templates'); // the Workspace page: templates are YAML
      expect(packagesIn(loads)).toContain('yaml');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});

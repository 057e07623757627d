import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PREBUILT_DIR, PREBUILT_META, SUPERVISOR_SOURCE, findAppRoot, nodeCommand, prebuiltIsCurrent, supervisorScript, writeCached } from './supervisor-runtime.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function fakeRoot(source: string | null, built: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-wr-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  if (source !== null) {
    fs.mkdirSync(path.dirname(path.join(root, SUPERVISOR_SOURCE)), { recursive: true });
    fs.writeFileSync(path.join(root, SUPERVISOR_SOURCE), source);
  }
  fs.mkdirSync(path.join(root, PREBUILT_DIR), { recursive: true });
  fs.writeFileSync(path.join(root, PREBUILT_DIR, 'job-supervisor.mjs'), '// built');
  fs.writeFileSync(path.join(root, PREBUILT_DIR, PREBUILT_META), JSON.stringify({ inputs: { [SUPERVISOR_SOURCE]: sha(built) } }));
  return root;
}

describe('supervisor runtime', () => {
  it('uses the prebuilt supervisor only while its inputs are unchanged (or when there are no sources)', () => {
    expect(prebuiltIsCurrent(fakeRoot('v1', 'v1'))).toBe(true);
    expect(prebuiltIsCurrent(fakeRoot('v2', 'v1'))).toBe(false);
    expect(prebuiltIsCurrent(fakeRoot(null, 'v1'))).toBe(true); // packaged app
    const noMeta = fakeRoot('v1', 'v1');
    fs.rmSync(path.join(noMeta, PREBUILT_DIR, PREBUILT_META));
    expect(prebuiltIsCurrent(noMeta)).toBe(false);
  });

  it('bundles the supervisor from the sources into one runnable .mjs', async () => {
    const file = await supervisorScript(findAppRoot());
    expect(file).toMatch(/job-supervisor\.mjs$/);
    const code = fs.readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from ["']\.\.?\//); // no relative imports left: it runs on its own
  });

  it('does not trust a cache directory others can write to', () => {
    const name = `kfd-runtime-test-${process.pid}`;
    const shared = path.join(os.tmpdir(), name);
    fs.mkdirSync(shared, { recursive: true });
    fs.chmodSync(shared, 0o777);
    fs.writeFileSync(path.join(shared, 'job-supervisor.mjs'), 'planted');
    const file = writeCached(name, 'ours');
    expect(path.dirname(file)).not.toBe(shared);
    expect(fs.readFileSync(file, 'utf8')).toBe('ours');
    fs.rmSync(shared, { recursive: true });
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('runs the supervisor with Electron as plain Node', () => {
    expect(nodeCommand('/x/electron', { ...process.versions, electron: '41.7.1' }).env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
    expect(nodeCommand('/usr/bin/node', { ...process.versions, electron: undefined } as unknown as NodeJS.ProcessVersions).env).toEqual({});
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PREBUILT_DIR, PREBUILT_META, WRAPPER_SOURCE, findAppRoot, nodeCommand, prebuiltIsCurrent, wrapperScript, writeCached } from './wrapper-runtime.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function fakeRoot(source: string | null, built: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-wr-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  if (source !== null) {
    fs.mkdirSync(path.dirname(path.join(root, WRAPPER_SOURCE)), { recursive: true });
    fs.writeFileSync(path.join(root, WRAPPER_SOURCE), source);
  }
  fs.mkdirSync(path.join(root, PREBUILT_DIR), { recursive: true });
  fs.writeFileSync(path.join(root, PREBUILT_DIR, 'rank-wrapper.mjs'), '// built');
  fs.writeFileSync(path.join(root, PREBUILT_DIR, PREBUILT_META), JSON.stringify({ inputs: { [WRAPPER_SOURCE]: sha(built) } }));
  return root;
}

describe('wrapper runtime', () => {
  it('uses the prebuilt wrapper only while its inputs are unchanged (or when there are no sources)', () => {
    expect(prebuiltIsCurrent(fakeRoot('v1', 'v1'))).toBe(true);
    expect(prebuiltIsCurrent(fakeRoot('v2', 'v1'))).toBe(false);
    expect(prebuiltIsCurrent(fakeRoot(null, 'v1'))).toBe(true); // packaged app
    const noMeta = fakeRoot('v1', 'v1');
    fs.rmSync(path.join(noMeta, PREBUILT_DIR, PREBUILT_META));
    expect(prebuiltIsCurrent(noMeta)).toBe(false);
  });

  it('bundles the wrapper from the sources into one runnable .mjs', async () => {
    const file = await wrapperScript(findAppRoot());
    expect(file).toMatch(/rank-wrapper\.mjs$/);
    const code = fs.readFileSync(file, 'utf8');
    expect(code).not.toMatch(/from ["']\.\.?\//); // no relative imports left: it runs on its own
  });

  it('does not trust a cache directory others can write to', () => {
    const name = `kfd-runtime-test-${process.pid}`;
    const shared = path.join(os.tmpdir(), name);
    fs.mkdirSync(shared, { recursive: true });
    fs.chmodSync(shared, 0o777);
    fs.writeFileSync(path.join(shared, 'rank-wrapper.mjs'), 'planted');
    const file = writeCached(name, 'ours');
    expect(path.dirname(file)).not.toBe(shared);
    expect(fs.readFileSync(file, 'utf8')).toBe('ours');
    fs.rmSync(shared, { recursive: true });
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('runs the wrapper with Electron as plain Node', () => {
    expect(nodeCommand('/x/electron', { ...process.versions, electron: '41.7.1' }).env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
    expect(nodeCommand('/usr/bin/node', { ...process.versions, electron: undefined } as unknown as NodeJS.ProcessVersions).env).toEqual({});
  });
});

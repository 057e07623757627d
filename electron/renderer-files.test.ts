import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveRendererFile } from './renderer-files.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'kfd-renderer-files-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  writeFileSync(path.join(base, 'secret.txt'), 'secret');
  mkdirSync(path.join(base, 'renderer-evil'));
  writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link-out.txt'));
  symlinkSync(base, path.join(root, 'dir-out'));
  symlinkSync(path.join(root, 'assets', 'app.js'), path.join(root, 'link-in.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveRendererFile', () => {
  it('serves files inside the folder, index.html for directories', async () => {
    const realRoot = await import('node:fs/promises').then((fs) => fs.realpath(root));
    expect(await resolveRendererFile(root, '/')).toBe(path.join(realRoot, 'index.html'));
    expect(await resolveRendererFile(root, '')).toBe(path.join(realRoot, 'index.html'));
    expect(await resolveRendererFile(root, '/assets/app.js')).toBe(path.join(realRoot, 'assets', 'app.js'));
    expect(await resolveRendererFile(root, '/assets/a%20b.css')).toBe(path.join(realRoot, 'assets', 'a b.css'));
    expect(await resolveRendererFile(root, '/link-in.js')).toBe(path.join(realRoot, 'assets', 'app.js'));
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fetc/passwd',
    '/../renderer-evil/x.js',
    '/..%5csecret.txt',
    '/assets%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/assets/link-out.txt',
    '/dir-out/secret.txt',
    '/assets',
    '/missing.js',
  ])('refuses %s', async (pathname) => {
    expect(await resolveRendererFile(root, pathname)).toBeNull();
  });

  it('returns null when the renderer has not been built', async () => {
    expect(await resolveRendererFile(path.join(base, 'nope'), '/index.html')).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('knows the renderer asset types and falls back to opaque bytes', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('codicon.ttf')).toBe('font/ttf');
    expect(contentTypeFor('x.exe')).toBe('application/octet-stream');
  });
});

/** Web mode against the real engine (real SQLite in a temp dir), over real sockets. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../engine.js';
import { startWebServer, type WebServer } from './web-server.js';
import { tokenSubprotocol } from './web-auth.js';

let dir: string;
let engine: Engine;
let server: WebServer;
const TOKEN = 'test-token-123';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-web-'));
  const staticDir = path.join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>kfd</title>');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the UI folder');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(staticDir, 'escape.txt'));
  engine = createEngine({ dataDir: path.join(dir, 'data'), env: { ...process.env } });
  server = await startWebServer({ dispatch: engine.dispatch, events: engine.events, staticDir, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const api = (name: string, init: RequestInit = {}) => fetch(new URL(`/api/${name}`, server.url), init);
const post = (name: string, body: unknown, headers: Record<string, string> = auth) =>
  api(name, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('web mode', () => {
  it('GET /api/version answers name and version with the token', async () => {
    const res = await api('version', { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'kubeflow-desktop', version: expect.any(String) });
  });

  it('refuses API calls without the token (401) and from a foreign Origin (403)', async () => {
    const noToken = await api('version');
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await post('settings.get', {}, {})).status).toBe(401);
    expect((await post('settings.get', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    const foreign = await post('settings.get', {}, { ...auth, Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden' } });
    const sameOrigin = await post('settings.get', {}, { ...auth, Origin: new URL(server.url).origin });
    expect(sameOrigin.status).toBe(200);
  });

  it('round-trips a setting through the store and names a bad field', async () => {
    const ok = await post('settings.update', { theme: 'dark' });
    expect(await ok.json()).toMatchObject({ result: { theme: 'dark' } });
    expect(await (await post('settings.get', {})).json()).toMatchObject({ result: { theme: 'dark' } });
    const bad = await post('settings.update', { theme: 'sepia' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('theme');
  });

  it('answers unknown methods with 404, bad JSON with 400, GET on a method with 405', async () => {
    expect((await post('no.such.method', {})).status).toBe(404);
    const badJson = await api('settings.get', { method: 'POST', headers: auth, body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
    expect((await api('settings.get', { headers: auth })).status).toBe(405);
  });

  it('saves a notebook bigger than a call\'s 4 MiB (its images); any other call that big gets 413 naming it', async () => {
    const ws = path.join(dir, 'nb-ws');
    mkdirSync(ws, { recursive: true });
    const made = (await (await post('notebooks.create', { root: ws, path: 'big.ipynb' })).json()) as { result: { hash: string; content: any } };
    const png = 'A'.repeat(6 * 1024 * 1024); // a 6 MiB base64 "image"
    const content = {
      ...made.result.content,
      cells: [{ cell_type: 'code', id: 'img', execution_count: 1, metadata: {}, source: 'plot()', outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': png } }] }],
    };
    const saved = await post('notebooks.save', { root: ws, path: 'big.ipynb', content, baseHash: made.result.hash });
    expect(saved.status).toBe(200);
    const reopened = (await (await post('notebooks.open', { root: ws, path: 'big.ipynb' })).json()) as { result: { content: any } };
    expect(reopened.result.content.cells[0].outputs[0].data['image/png']).toHaveLength(png.length);
    const tooBig = await post('settings.update', { theme: png });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { message: string } }).error.message).toBe('settings.update: The request is larger than 4 MiB.');
  });

  it('streams engine events over the WebSocket only with the token', async () => {
    const wsUrl = new URL('/api/events', server.url).toString().replace('http', 'ws');
    const refused = new WebSocket(wsUrl, ['kfd.v1']);
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('error', (err) => resolve(err.message));
    });
    expect(refusal).toContain('401');

    const foreign = new WebSocket(wsUrl, ['kfd.v1', tokenSubprotocol(TOKEN)], { origin: 'http://evil.example' });
    const foreignRefusal = await new Promise<string>((resolve) => {
      foreign.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      foreign.on('error', (err) => resolve(err.message));
    });
    expect(foreignRefusal).toContain('403');

    const ws = new WebSocket(wsUrl, ['kfd.v1', tokenSubprotocol(TOKEN)]);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(ws.protocol).toBe('kfd.v1');
    const message = new Promise<{ event: string; payload: { theme: string } }>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    await post('settings.update', { theme: 'light' });
    expect(await message).toEqual({ event: 'settings.changed', payload: expect.objectContaining({ theme: 'light' }) });
    ws.close();
  });

  it('serves the UI with a strict CSP and no Referer leak, and nothing outside its folder', async () => {
    const page = await fetch(new URL('/?token=abc', server.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<title>kfd</title>');
    expect((await fetch(new URL('/escape.txt', server.url))).status).toBe(404);
    expect((await fetch(new URL('/%2e%2e/secret.txt', server.url))).status).toBe(404);
    expect((await fetch(new URL('/missing.js', server.url))).status).toBe(404);
  });
});

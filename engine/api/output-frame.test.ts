import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from './event-bus.js';
import { cspForRendererPath, OUTPUT_FRAME_CSP, OUTPUT_FRAME_PATH } from './output-frame.js';
import { WEB_CSP } from './static-files.js';
import { startWebServer } from './web-server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-frame-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('output frame policy', () => {
  it('lets scripts run in the frame but gives it no network, forms or foreign parents', () => {
    const d = new Map(OUTPUT_FRAME_CSP.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1)]));
    expect(d.get('script-src')).toContain("'unsafe-inline'");
    expect(d.get('connect-src')).toEqual(["'none'"]);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'self'"]);
    expect(OUTPUT_FRAME_CSP).not.toMatch(/https?:/);
    expect(cspForRendererPath('/index.html', 'app')).toBe('app');
    expect(cspForRendererPath(OUTPUT_FRAME_PATH, 'app')).toBe(OUTPUT_FRAME_CSP);
  });

  it('the frame page talks to the app\'s origin only, and takes out WebRTC and nested frames before outputs run', () => {
    const page = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'renderer', 'public', 'output-frame.html'), 'utf8');
    const posts = page.match(/\.postMessage\([^;]*/g) ?? [];
    expect(posts.length).toBeGreaterThan(0);
    for (const call of posts) expect(call).not.toContain("'*'");
    expect(page).toContain("parent.postMessage({ type: 'kfd-frame-ready' }, appOrigin)");
    const guards = page.indexOf('RTCPeerConnection');
    expect(guards).toBeGreaterThan(0);
    expect(page.indexOf('takeOutNested')).toBeGreaterThan(0);
    expect(guards).toBeLessThan(page.indexOf('root.innerHTML = d.html'));
  });

  it('web mode serves output-frame.html with the frame policy and everything else with the app policy', async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(dir, 'output-frame.html'), '<!doctype html>');
    const server = await startWebServer({ dispatch: async () => ({ result: null }), events: new EventBus(), staticDir: dir, token: 't' });
    try {
      const frame = await fetch(`${server.url}output-frame.html`);
      expect(frame.headers.get('content-security-policy')).toBe(OUTPUT_FRAME_CSP);
      const page = await fetch(`${server.url}`);
      expect(page.headers.get('content-security-policy')).toBe(WEB_CSP);
      const sneaky = await fetch(`${server.url}./output-frame.html/../index.html`);
      expect(sneaky.headers.get('content-security-policy')).toBe(WEB_CSP);
    } finally {
      await server.close();
    }
  });
});

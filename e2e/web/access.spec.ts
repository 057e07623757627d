import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures/kfd-server.js';

test.describe('web-mode access control', () => {
  test('the API answers 401 without the token and 403 to a foreign Origin', async ({ request, kfd }) => {
    const version = new URL('/api/version', kfd.origin).toString();
    const noToken = await request.get(version);
    expect(noToken.status()).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 'unauthorized' } });

    const withToken = await request.get(version, { headers: { Authorization: `Bearer ${kfd.token}` } });
    expect(withToken.status()).toBe(200);
    expect(await withToken.json()).toMatchObject({ name: 'kubeflow-desktop', version: expect.any(String) });

    const foreign = await request.post(new URL('/api/settings.get', kfd.origin).toString(), {
      headers: { Authorization: `Bearer ${kfd.token}`, Origin: 'http://evil.example' },
      data: {},
    });
    expect(foreign.status()).toBe(403);
  });

  test('a page opened without the token explains how to get in instead of failing silently', async ({ page, kfd }) => {
    await page.goto(kfd.origin + '/');
    await expect(page.getByText(/kfd serve/)).toBeVisible();
    await page.screenshot({ path: 'e2e/artifacts/web-no-token.png' });
  });

  test('another site cannot call the API from the user’s browser: the server answers its Origin with 403', async ({ page, kfd }) => {
    // A real page on another origin (another port of this machine) sends a request the browser
    // lets through without a preflight; what the server answered is read from the network.
    const site = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>elsewhere</title>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    try {
      await page.goto(elsewhere);
      const answered = page.waitForResponse((r) => r.url() === `${kfd.origin}/api/settings.get`);
      const seen = await page.evaluate(async (origin) => {
        const res = await fetch(origin + '/api/settings.get', { method: 'POST', mode: 'no-cors', body: '{}', headers: { 'Content-Type': 'text/plain' } });
        return res.type;
      }, kfd.origin);
      const res = await answered;
      // 403, not 401: the request carried no token, so only the Origin check can have answered.
      expect(res.status()).toBe(403);
      expect(seen).toBe('opaque'); // and the page itself learns nothing from it
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

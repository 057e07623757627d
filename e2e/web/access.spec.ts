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

  test('another site cannot call the API from the user’s browser', async ({ page, kfd }) => {
    // A page on a different origin (here: a data: URL) tries to use the API with a stolen-looking request.
    await page.goto('data:text/html,<title>elsewhere</title>');
    const status = await page.evaluate(async (origin) => {
      try {
        const res = await fetch(origin + '/api/settings.get', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
        return res.status;
      } catch {
        return 'blocked';
      }
    }, kfd.origin);
    expect(status === 'blocked' || status === 401 || status === 403).toBe(true);
  });
});

/**
 * The packaged shape of the app: dist/electron/main.cjs in the real Electron binary, with the
 * real engine on a temp data dir. Needs `npm run build` first. Where the Electron binary could
 * not be downloaded (these machines), the whole file skips and says which path it looked for.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { AppPage } from '../pages/app-page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainBundle = path.join(root, 'dist', 'electron', 'main.cjs');
/** The app's page, whatever hash route the renderer is on. */
const APP_PAGE = /^app:\/\/kfd\/index\.html(#.*)?$/;

/** What `require('electron')` resolves to, or why it cannot, without throwing. */
function findElectronBinary(): { path: string; exists: boolean } {
  const require = createRequire(path.join(root, 'package.json'));
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  try {
    const binary = require('electron') as unknown as string;
    return { path: binary, exists: typeof binary === 'string' && existsSync(binary) };
  } catch {
    // electron/index.js throws when install.js never wrote path.txt (download blocked).
    const executable = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as 'darwin' | 'win32'] ?? 'electron';
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
    return { path: path.join(dist, executable), exists: false };
  }
}

/** What the page sees; the e2e tsconfig has no DOM lib, so `globalThis` stands in for window. */
type PageGlobals = { kfd?: { call(method: string, input: unknown): Promise<unknown> } } & Record<string, unknown>;
const callInPage = (p: Page, method: string, input: unknown) =>
  p.evaluate(([m, i]) => (globalThis as unknown as PageGlobals).kfd!.call(m as string, i), [method, input] as const);

const binary = findElectronBinary();
const skipReason = `Electron binary not installed (download blocked): ${binary.path}`;
if (!binary.exists) console.log(`[electron e2e] skipped: ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(!binary.exists, skipReason);

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    expect(existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\` first`).toBe(true);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'kfd-e2e-electron-'));
    const env = { ...process.env, KFD_DATA_DIR: dataDir } as Record<string, string>;
    delete env.KFD_DEV_SERVER_URL; // always the built renderer over app://
    delete env.ELECTRON_RUN_AS_NODE;
    app = await electron.launch({ executablePath: binary.path, args: [mainBundle], env, cwd: root });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('loads the renderer from app://kfd with the bridge and without Node', async () => {
    expect(page.url()).toMatch(APP_PAGE);
    expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).kfd)).toBe('object');
    const version = await callInPage(page, 'version', {});
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(version).toEqual({ result: { name: 'kubeflow-desktop', version: pkg.version } });

    const globals = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        ipcRenderer: typeof g.ipcRenderer,
        bridgeKeys: Object.keys(g.kfd ?? {}).sort(),
      };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', ipcRenderer: 'undefined', bridgeKeys: ['call', 'desktop', 'on'] });
  });

  test('errors come back as envelopes with the real message', async () => {
    const bad = await callInPage(page, 'settings.update', { theme: 'pink' });
    expect(bad).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('theme') } });
  });

  test('navigation away from the app and new windows are refused', async () => {
    await page.evaluate(() => {
      const g = globalThis as unknown as { open(url: string): unknown; location: { href: string } };
      g.open('file:///etc/passwd');
      g.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(APP_PAGE);
    expect(app.windows()).toHaveLength(1);
  });

  test('shows the app frame (same page object as web mode)', async () => {
    await new AppPage(page).expectOn('Jobs');
    await page.screenshot({ path: path.join(root, 'e2e', 'artifacts', 'electron-home.png') });
  });
});

/**
 * Starts the real main.ts (and the real engine, on a temp data dir) against fake-electron, so
 * the wiring is exercised where the Electron binary cannot run. The e2e spec covers the rest.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeElectron, state, type FakeBrowserWindow } from './test-support/fake-electron.js';
import { APP_ORIGIN, contentSecurityPolicy, secureWebPreferences } from './window-policy.js';

vi.mock('electron', async () => (await import('./test-support/fake-electron.js')).fakeElectron);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kfd-main-'));
let win: FakeBrowserWindow;
const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

beforeAll(async () => {
  process.env.KFD_DATA_DIR = dataDir;
  delete process.env.KFD_DEV_SERVER_URL;
  await import('./main.js');
  await vi.waitFor(() => expect(state.windows.length).toBe(1));
  win = state.windows[0]!;
  await vi.waitFor(() => expect(win.shown).toBe(true));
});

afterAll(() => {
  warn.mockRestore();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.KFD_DATA_DIR;
});

const mainFrameEvent = () => ({ sender: win.webContents, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } });

describe('main.ts on fake-electron', () => {
  it('registers app:// as standard+secure (not corsEnabled) before ready, and sandboxes everything', () => {
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(fakeElectron.app.enableSandbox).toHaveBeenCalled();
    expect(fakeElectron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fakeElectron.app.setPath).toHaveBeenCalledWith('userData', path.join(dataDir, 'electron'));
  });

  it('opens one window with the secure preferences on app://kfd', () => {
    const prefs = win.options.webPreferences as { preload: string };
    expect(prefs).toEqual(secureWebPreferences(prefs.preload));
    expect(path.basename(prefs.preload)).toBe('preload.cjs');
    expect(win.webContents.url).toBe(`${APP_ORIGIN}/index.html`);
    expect(fakeElectron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('serves renderer files with the CSP header and refuses anything else', async () => {
    const serve = state.protocolHandlers.get('app')!;
    const page: Response = await serve(new Request(`${APP_ORIGIN}/index.html`));
    expect(page.status).toBe(200); // the built page, or the "not built yet" explanation
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ dev: false }));
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    for (const url of [`${APP_ORIGIN}/%2e%2e/package.json`, `${APP_ORIGIN}/..%2fpackage.json`, 'app://evil/index.html']) {
      expect((await serve(new Request(url))).status).toBe(404);
    }
    expect((await serve(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('answers kfd:call through the real engine, only for the app main frame', async () => {
    const call = state.ipcHandlers.get('kfd:call')!;
    expect(await call(mainFrameEvent(), 'version', {})).toEqual({ result: { name: 'kubeflow-desktop', version: expect.any(String) } });
    expect(await call(mainFrameEvent(), 'settings.update', { theme: 'pink' })).toMatchObject({ error: { code: 'bad_request' } });
    const sub = { sender: win.webContents, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: {} } };
    expect(await call(sub, 'version', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await call(mainFrameEvent(), 'desktop.pickFolder', {})).toEqual({ result: '/picked' });
  });

  it('forwards engine events to the window', async () => {
    const call = state.ipcHandlers.get('kfd:call')!;
    await call(mainFrameEvent(), 'settings.update', { theme: 'dark' });
    expect(win.webContents.send).toHaveBeenCalledWith('kfd:event', 'settings.changed', expect.objectContaining({ theme: 'dark' }));
  });

  it('blocks navigation, redirects, webviews and new windows', () => {
    const nav = (event: string, url: string) => {
      const e = { url, preventDefault: vi.fn() };
      win.webContents.emit(event, e);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(nav('will-navigate', 'https://evil.com/')).toBe(true);
    expect(nav('will-redirect', 'http://127.0.0.1@evil.com/')).toBe(true);
    expect(nav('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    const webview = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();

    const open = win.webContents.windowOpenHandler!;
    expect(open({ url: 'https://www.kubeflow.org/' })).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledWith('https://www.kubeflow.org/');
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('[kubeflow-desktop] blocked navigation to https://evil.com/');
  });

  it('stops a notebook output frame from navigating anywhere but the app, and gives pages no WebRTC UDP', () => {
    const frameNav = (url: string, isMainFrame = false) => {
      const e = { url, isMainFrame, isSameDocument: false, frame: null, preventDefault: vi.fn() };
      win.webContents.emit('will-frame-navigate', e);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(frameNav('http://127.0.0.1:9/?secret=notebook-data')).toBe(true);
    expect(frameNav('https://evil.example/')).toBe(true);
    expect(frameNav('https://evil.example/', true)).toBe(true);
    expect(frameNav(`${APP_ORIGIN}/output-frame.html`)).toBe(false);
    expect(frameNav('about:srcdoc')).toBe(false);
    expect(frameNav('about:blank', true)).toBe(true);
    expect(warn).toHaveBeenCalledWith('[kubeflow-desktop] blocked a frame navigation to https://evil.example/');
    expect(win.webContents.webRtcPolicy).toBe('disable_non_proxied_udp');
  });

  it('denies permission requests and checks', () => {
    const session = win.webContents.session;
    const callback = vi.fn();
    session.permissionRequest!(win.webContents, 'media', callback, { requestingUrl: `${APP_ORIGIN}/index.html` });
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.permissionCheck!(win.webContents, 'clipboard-read', APP_ORIGIN, {})).toBe(false);
  });

  it('saves the window bounds on close and closes the engine before quitting', async () => {
    win.close();
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ bounds: { x: 10, y: 20, width: 1111, height: 777 }, maximized: false });
    expect(state.ipcHandlers.has('kfd:call')).toBe(false);
    fakeElectron.app.emit('window-all-closed');
    await vi.waitFor(() => expect(state.exited).toBe(true));
    expect(existsSync(path.join(dataDir, 'kubeflow-desktop.db'))).toBe(true);
  });
});

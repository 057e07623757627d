/**
 * Electron main process: one hardened window on top of the engine. Every security decision is
 * made by the pure functions in window-policy.ts; this file only wires them to Electron.
 *
 * Why the renderer is served from a custom `app://kfd` scheme instead of `loadFile`:
 * - `session.webRequest.onHeadersReceived` never fires for `file:` (there is no HTTP response),
 *   so a CSP header cannot be attached to file pages; a <meta> CSP cannot express
 *   `frame-ancestors` and is only applied once parsing reaches it.
 * - `file:` pages are same-origin with every file on disk, so `'self'`, navigation and IPC sender
 *   checks would mean "any local file". `app://kfd` is a real origin that only ever serves
 *   dist/renderer (realpath-confined in renderer-files.ts), with the CSP on every response.
 * The scheme is standard+secure (relative URLs, ES modules, secure context) but not
 * `corsEnabled`, so opaque-origin notebook iframes cannot read app files.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, type Session, type WebContents } from 'electron';
import { createEngine, type Engine } from '../engine/engine.js';
import { cspForRendererPath } from '../engine/api/output-frame.js';
import { appDataDir } from '../engine/paths.js';
import { buildMenuTemplate } from './app-menu.js';
import { registerIpcBridge } from './ipc-bridge.js';
import { contentTypeFor, resolveRendererFile } from './renderer-files.js';
import { loadWindowState, MIN_SIZE, restoreWindowState, saveWindowState } from './window-state.js';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  contentSecurityPolicy,
  decideFrameNavigation,
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  devServerOrigin,
  externalUrl,
  secureWebPreferences,
} from './window-policy.js';

// dist/electron/main.cjs → dist/renderer, dist/electron/preload.cjs (the bundle is CommonJS).
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');
// A dev server is honoured only in an unpackaged build, and only on loopback.
const devServer = app.isPackaged ? null : devServerOrigin(process.env.KFD_DEV_SERVER_URL);
const dev = devServer !== null;
const appOrigin = devServer ?? APP_ORIGIN;
const csp = contentSecurityPolicy({ dev, devServerUrl: devServer ?? undefined });
const dataDir = appDataDir(process.env);

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Kubeflow Desktop</title>
<body style="font-family:system-ui;padding:2rem"><h1>The UI is not built yet</h1>
<p>Run <code>npm run build</code> and start the app again.</p>`;

let engine: Engine | null = null;
let mainWindow: BrowserWindow | null = null;

// Must happen before `ready`. Chromium's own profile goes beside our data when KFD_DATA_DIR is
// set, so tests and portable installs are isolated (and get their own single-instance lock).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();
if (process.env.KFD_DATA_DIR) app.setPath('userData', path.join(dataDir, 'electron'));

function log(message: string): void {
  console.warn(`[kubeflow-desktop] ${message}`);
}

/** The only way anything leaves the app for the OS: http(s) links, checked right here. */
async function openInBrowser(url: string): Promise<void> {
  const safe = externalUrl(url);
  if (!safe) throw new Error(`refused to open ${JSON.stringify(url)}: only http(s) links without credentials open in the browser`);
  await shell.openExternal(safe);
}

function openInBrowserLogged(url: string): void {
  openInBrowser(url).catch((err: unknown) => log((err as Error).message));
}

function headers(type: string, pathname = ''): Record<string, string> {
  // Notebook HTML/JS outputs: the sandboxed output frame has its own policy (output-frame.ts).
  const policy = cspForRendererPath(pathname, csp);
  return { 'Content-Type': type, 'Content-Security-Policy': policy, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
}

async function serveApp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) {
    return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  }
  const file = await resolveRendererFile(rendererDir, url.pathname);
  if (!file) {
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    // 200, not 503: an error status on the main frame can make loadURL fail instead of showing
    // the user what to do.
    return isPage
      ? new Response(NOT_BUILT, { status: 200, headers: headers('text/html; charset=utf-8') })
      : new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  }
  return new Response(await readFile(file), { headers: headers(contentTypeFor(file), url.pathname) });
}

/** The dev server's responses get the same CSP header the app:// handler sets. */
function applyDevCsp(ses: Session): void {
  if (!devServer) return;
  ses.webRequest.onHeadersReceived({ urls: [`${devServer}/*`] }, (details, callback) => {
    const policy = cspForRendererPath(new URL(details.url).pathname, csp);
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    log(decidePermission(permission, details.requestingUrl).reason);
    callback(false);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermission(permission, requestingOrigin).allow);
}

/** Applied to every webContents ever created, so no page (or future view) escapes the policy. */
function hardenContents(contents: WebContents): void {
  const guard = (what: string) => (event: { url: string; preventDefault(): void }) => {
    if (decideNavigation(event.url, appOrigin) === 'deny') {
      event.preventDefault();
      log(`blocked ${what} to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard('navigation'));
  // Sub-frames too: a notebook output that navigates its frame (location, meta refresh, a link)
  // is stopped before the request starts.
  contents.on('will-frame-navigate', (details) => {
    if (decideFrameNavigation(details.url, appOrigin, details.isMainFrame) === 'deny') {
      details.preventDefault();
      log(`blocked a ${details.isMainFrame ? 'navigation' : 'frame navigation'} to ${details.url}`);
    }
  });
  // The app never uses WebRTC; outputs lose it in their frame, and no UDP leaves here either way.
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>: the app never embeds one');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) openInBrowserLogged(decision.openExternal);
    else log(`blocked window.open(${JSON.stringify(url)})`);
    return { action: decision.action };
  });
}

async function pickFolder(): Promise<string | null> {
  const options = { title: 'Choose a workspace folder', properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function createWindow(theEngine: Engine): Promise<void> {
  const state = restoreWindowState(loadWindowState(theEngine.dataDir), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Kubeflow Desktop',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  mainWindow = win;
  registerIpcBridge({
    ipcMain,
    window: win,
    engine: theEngine,
    desktop: { openExternal: openInBrowser, pickFolder },
    appOrigin,
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(theEngine.dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      log(`could not save the window position: ${(err as Error).message}`);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  await win.loadURL(devServer ? `${devServer}/` : `${APP_ORIGIN}/index.html`);
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  applyDevCsp(session.defaultSession);
  protocol.handle(APP_SCHEME, serveApp);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ isMac: process.platform === 'darwin', dev, appName: app.name, openExternal: openInBrowserLogged })),
  );
  try {
    engine = createEngine({ dataDir });
  } catch (err) {
    dialog.showErrorBox('Kubeflow Desktop cannot start', `The engine failed to open its data in ${dataDir}:\n\n${(err as Error).message}`);
    app.exit(1);
    return;
  }
  const theEngine = engine;
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(theEngine);
  });
  await createWindow(theEngine);
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the database; it gets focused through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents);
    hardenSession(contents.session);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Close the engine (SQLite, child processes) exactly once, then let the quit continue.
  app.on('will-quit', (event) => {
    if (!engine) return;
    event.preventDefault();
    const closing = engine;
    engine = null;
    closing
      .close()
      .catch((err: unknown) => log(`engine did not close cleanly: ${(err as Error).message}`))
      .finally(() => app.quit());
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
  start().catch((err: unknown) => {
    dialog.showErrorBox('Kubeflow Desktop failed to start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });
}

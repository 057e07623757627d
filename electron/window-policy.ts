/**
 * Security policy for the Electron shell as pure functions: main.ts wires them to Electron
 * events, the tests below pin every decision. No runtime `electron` import (types only), so
 * this runs under plain vitest.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebPreferences } from 'electron';

/** The renderer is served from this privileged custom scheme (see main.ts for why). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kfd';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Every hardening switch set explicitly, so a changed Electron default cannot loosen us. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    // Dropping a file on the window must not navigate away from the app.
    navigateOnDragDrop: false,
  };
}

export interface CspOptions {
  dev: boolean;
  /** The Vite dev server (dev only), e.g. http://127.0.0.1:5173. */
  devServerUrl?: string;
}

export function contentSecurityPolicy({ dev, devServerUrl }: CspOptions): string {
  const connect = ["'self'"];
  if (dev) {
    // Vite's HMR socket; the port is chosen at dev-server start, loopback only.
    connect.push('ws://127.0.0.1:*', 'ws://localhost:*');
    const origin = devServerUrl ? httpOrigin(devServerUrl) : null;
    if (origin) connect.push(origin, origin.replace(/^http/, 'ws'));
  }
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    // Monaco injects <style> elements at run time; scripts stay strict.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    ['worker-src', ["'self'", 'blob:']],
    // Notebook HTML/JS outputs render in sandboxed blob: iframes (no allow-same-origin).
    ['frame-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function httpOrigin(url: string): string | null {
  const u = parse(url);
  return u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.origin : null;
}

/**
 * True when `url` belongs to the app. `appOrigin` is either an origin (`app://kfd`, the dev
 * server `http://127.0.0.1:5173`) or a `file:` URL of the renderer folder; a file URL only
 * matches files inside that folder. URLs carrying credentials never match: `app://x@kfd` is not
 * how the app addresses itself, and userinfo is the classic way to disguise a host.
 */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const target = parse(url);
  const app = parse(appOrigin);
  if (!target || !app) return false;
  if (target.username || target.password) return false;
  // The WHATWG parser lowercases schemes, so `APP://` and `File:` compare equal here.
  if (target.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return isFileInside(target, app);
  // Node reports origin "null" for non-special schemes (app:), so compare host + port directly;
  // Chromium lowercases hosts of standard schemes, we do the same.
  return target.host.toLowerCase() === app.host.toLowerCase() && target.host !== '';
}

function isFileInside(target: URL, dir: URL): boolean {
  if (target.host !== dir.host) return false; // file://server/share is not our folder
  let file: string;
  let root: string;
  try {
    // fileURLToPath rejects encoded separators (%2F, %5C); the parser already resolved `..`.
    file = path.resolve(fileURLToPath(target));
    root = path.resolve(fileURLToPath(dir));
  } catch {
    return false;
  }
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export type NavigationDecision = 'allow' | 'deny';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Vite dev server origin from KFD_DEV_SERVER_URL, or null. Only plain http on loopback: a
 * dev build must not be pointed at a remote page that would then receive `window.kfd`.
 */
export function devServerOrigin(url: string | undefined): string | null {
  const u = url ? parse(url) : null;
  if (!u || u.protocol !== 'http:' || u.username || u.password || !LOOPBACK_HOSTS.has(u.hostname)) return null;
  return u.origin;
}

/** Main-frame navigations (`will-navigate`, `will-redirect`): only within the app. */
export function decideNavigation(url: string, appOrigin: string): NavigationDecision {
  return isAppUrl(url, appOrigin) ? 'allow' : 'deny';
}

/**
 * Any frame's navigation (main frame and the sandboxed notebook output frames): only app pages;
 * a subframe may also become an empty or srcdoc document (nothing is fetched). Decided before
 * the navigation starts, so a refused one never reaches the network (not even a preconnect).
 */
export function decideFrameNavigation(url: string, appOrigin: string, isMainFrame: boolean): NavigationDecision {
  if (isAppUrl(url, appOrigin)) return 'allow';
  if (!isMainFrame && (url === 'about:blank' || url === 'about:srcdoc')) return 'allow';
  return 'deny';
}

/**
 * The URL to hand to the OS browser, or null. Only plain http(s) without credentials:
 * `file:`, `javascript:`, `data:`, custom schemes (which launch other apps) are refused.
 */
export function externalUrl(url: string): string | null {
  const u = parse(url.trim());
  if (!u) return null;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password || !u.hostname) return null;
  return u.href;
}

export interface WindowOpenDecision {
  action: 'deny';
  /** Set when the link is a web page the user may open in their browser. */
  openExternal?: string;
}

/** The app never opens a second Electron window; web links go to the system browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  const external = externalUrl(url);
  return external ? { action: 'deny', openExternal: external } : { action: 'deny' };
}

export interface PermissionDecision {
  allow: false;
  reason: string;
}

/** Why each permission a page might ask for is refused; the app needs none of them. */
export const PERMISSION_DENIAL_REASONS: Readonly<Record<string, string>> = {
  media: 'camera and microphone are never used by Kubeflow Desktop',
  'display-capture': 'screen capture is never used',
  geolocation: 'location is never used',
  notifications: 'the app shows its own in-window notifications',
  'clipboard-read': 'pages may not read the clipboard; paste goes through the editor',
  midi: 'MIDI devices are never used',
  midiSysex: 'MIDI devices are never used',
  pointerLock: 'pointer lock is never used',
  keyboardLock: 'keyboard lock is never used',
  fullscreen: 'HTML fullscreen is not offered; use the window controls',
  openExternal: 'external links go through the window-open policy, not the page',
  hid: 'device access is never used',
  serial: 'device access is never used',
  usb: 'device access is never used',
  fileSystem: 'file access goes through the engine API, which confines it to the workspace',
  'window-management': 'the app manages its own single window',
};

/** Every request and check is refused; notebook outputs and remote content get nothing. */
export function decidePermission(permission: string, origin: string): PermissionDecision {
  const why = Object.prototype.hasOwnProperty.call(PERMISSION_DENIAL_REASONS, permission)
    ? PERMISSION_DENIAL_REASONS[permission]
    : 'the app requests no browser permissions';
  return { allow: false, reason: `${permission} denied for ${origin || 'an unknown origin'}: ${why}` };
}

/**
 * IPC is accepted only from a main frame showing the app itself: never from an iframe
 * (notebook output), a navigated-away page, or a frame that no longer exists.
 */
export function isTrustedSender(frameUrl: string | null | undefined, appOrigin: string): boolean {
  return typeof frameUrl === 'string' && isAppUrl(frameUrl, appOrigin);
}

/**
 * fake-electron: the smallest stand-in for the `electron` module that lets main.ts start in
 * vitest, because the real Electron binary cannot be downloaded on these machines. It records
 * what main.ts registers so the test can drive it (IPC, protocol, navigation, quit).
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

// Handlers are called with whatever Electron would pass; the test asserts on the effects.
type Handler = (...args: any[]) => any;

export class FakeSession {
  permissionRequest: Handler | null = null;
  permissionCheck: Handler | null = null;
  headersReceived: Handler | null = null;
  webRequest = { onHeadersReceived: (_filter: unknown, fn: Handler) => (this.headersReceived = fn) };
  setPermissionRequestHandler(fn: Handler) {
    this.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn: Handler) {
    this.permissionCheck = fn;
  }
}

const defaultSession = new FakeSession();

export class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  session = defaultSession;
  windowOpenHandler: Handler | null = null;
  webRtcPolicy = 'default';
  send = vi.fn();
  setWebRTCIPHandlingPolicy(policy: string) {
    this.webRtcPolicy = policy;
  }
  setWindowOpenHandler(fn: Handler) {
    this.windowOpenHandler = fn;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
}

export const state = {
  windows: [] as FakeBrowserWindow[],
  ipcHandlers: new Map<string, Handler>(),
  protocolHandlers: new Map<string, Handler>(),
  exited: false as boolean | number,
};

export class FakeBrowserWindow extends EventEmitter {
  webContents = new FakeWebContents();
  maximized = false;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() {
    return state.windows.filter((w) => !w.webContents.destroyed);
  }
  async loadURL(url: string) {
    this.webContents.url = url;
    this.emit('ready-to-show');
  }
  show() {
    this.shown = true;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  getNormalBounds() {
    return { x: 10, y: 20, width: 1111, height: 777 };
  }
  close() {
    this.emit('close');
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  name: 'kubeflow-desktop',
  enableSandbox: vi.fn(),
  setPath: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: () => Promise.resolve(),
  exit: vi.fn((code: number) => (state.exited = code)),
  quit: vi.fn(() => {
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    app.emit('will-quit', event);
    if (!event.prevented) state.exited = true;
  }),
});

export const fakeElectron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/picked'] })) },
  ipcMain: {
    handle: (channel: string, fn: Handler) => state.ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
  },
  Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: vi.fn() },
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: (scheme: string, fn: Handler) => state.protocolHandlers.set(scheme, fn),
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: { defaultSession },
  shell: { openExternal: vi.fn(async () => {}) },
};

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../engine/api/contract.js';
import { EventBus } from '../engine/api/event-bus.js';
import { createCallHandler, describeSender, ipcSafe, registerIpcBridge, screenCall, type SenderInfo } from './ipc-bridge.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';
import { APP_ORIGIN } from './window-policy.js';

const trusted: SenderInfo = { frameUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true, fromAppWindow: true };

function makeHandler(dispatch = vi.fn(async (method: string, input: unknown): Promise<Envelope<unknown>> => ({ result: { method, input } }))) {
  const desktop = { openExternal: vi.fn(async () => {}), pickFolder: vi.fn(async () => '/home/me/ws') };
  return { handle: createCallHandler({ dispatch, desktop, appOrigin: APP_ORIGIN }), dispatch, desktop };
}

describe('screenCall', () => {
  it('accepts the app main frame with a dotted method name', () => {
    expect(screenCall(trusted, 'settings.update', APP_ORIGIN)).toEqual({ ok: true, method: 'settings.update' });
  });

  it.each<[string, SenderInfo]>([
    ['a subframe (notebook output)', { ...trusted, isMainFrame: false }],
    ['another webContents', { ...trusted, fromAppWindow: false }],
    ['a disposed frame', { frameUrl: null, isMainFrame: false, fromAppWindow: true }],
    ['a remote page', { ...trusted, frameUrl: 'https://evil.com/' }],
    ['a userinfo trick', { ...trusted, frameUrl: 'app://kfd@evil.com/' }],
    ['a blob iframe', { ...trusted, frameUrl: 'blob:app://kfd/123' }],
  ])('refuses %s with a forbidden envelope', (_name, sender) => {
    const screened = screenCall(sender, 'version', APP_ORIGIN);
    expect(screened.ok).toBe(false);
    if (!screened.ok) {
      expect(screened.envelope.error.code).toBe('forbidden');
      expect(screened.envelope.error.message).toContain('not the Kubeflow Desktop window');
    }
  });

  it.each([undefined, null, 42, {}, '', '.version', 'version.', 'a..b', '$x', 'x y', 'a/b', 'x'.repeat(200)])(
    'refuses the method name %j',
    (method) => {
      const screened = screenCall(trusted, method, APP_ORIGIN);
      expect(screened.ok).toBe(false);
      if (!screened.ok) expect(screened.envelope.error.code).toBe('bad_request');
    },
  );
});

describe('createCallHandler', () => {
  it('passes method and input to dispatch and returns its envelope untouched', async () => {
    const { handle, dispatch } = makeHandler();
    expect(await handle(trusted, 'settings.get', {})).toEqual({ result: { method: 'settings.get', input: {} } });
    expect(dispatch).toHaveBeenCalledWith('settings.get', {});
  });

  it('returns engine errors as envelopes (the renderer sees the real message)', async () => {
    const body = { code: 'bad_request' as const, message: 'settings.update: field `theme`: Invalid option' };
    const { handle } = makeHandler(vi.fn(async () => ({ error: body })));
    expect(await handle(trusted, 'settings.update', { theme: 'pink' })).toEqual({ error: body });
  });

  it('never reaches dispatch for an untrusted sender', async () => {
    const { handle, dispatch } = makeHandler();
    const envelope = await handle({ ...trusted, isMainFrame: false }, 'version', {});
    expect('error' in envelope && envelope.error.code).toBe('forbidden');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a throwing dispatch into an internal envelope', async () => {
    const { handle } = makeHandler(vi.fn(async () => Promise.reject(new Error('boom'))));
    expect(await handle(trusted, 'version', {})).toEqual({ error: { code: 'internal', message: 'version failed: boom' } });
  });

  it('opens only http(s) links externally', async () => {
    const { handle, desktop, dispatch } = makeHandler();
    expect(await handle(trusted, 'desktop.openExternal', { url: 'https://www.kubeflow.org/' })).toEqual({ result: null });
    expect(desktop.openExternal).toHaveBeenCalledWith('https://www.kubeflow.org/');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'https://a@evil.com', 42, undefined]) {
      const envelope = await handle(trusted, 'desktop.openExternal', { url });
      expect('error' in envelope && envelope.error.code).toBe('bad_request');
    }
    expect(await handle(trusted, 'desktop.openExternal', null)).toMatchObject({ error: { code: 'bad_request' } });
    expect(desktop.openExternal).toHaveBeenCalledTimes(1);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('picks a folder and reports unknown desktop methods', async () => {
    const { handle, desktop } = makeHandler();
    expect(await handle(trusted, 'desktop.pickFolder', {})).toEqual({ result: '/home/me/ws' });
    desktop.pickFolder.mockRejectedValueOnce(new Error('dialog failed'));
    expect(await handle(trusted, 'desktop.pickFolder', {})).toEqual({
      error: { code: 'internal', message: 'desktop.pickFolder failed: dialog failed' },
    });
    expect(await handle(trusted, 'desktop.format', {})).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('ipcSafe', () => {
  it('keeps cloneable envelopes and replaces ones that cannot cross IPC', () => {
    const ok = { result: { a: [1, 2], d: new Date(0) } };
    expect(ipcSafe(ok)).toBe(ok);
    const bad = ipcSafe({ result: { fn: () => 1 } });
    expect(bad).toMatchObject({ error: { code: 'internal' } });
    expect('error' in bad && bad.error.message).toContain('cannot cross IPC');
  });
});

function fakeWindow(url = `${APP_ORIGIN}/index.html`) {
  const window = new EventEmitter() as EventEmitter & { webContents: Record<string, unknown> };
  const sent: unknown[][] = [];
  const contents = { destroyed: false, url, isDestroyed: () => contents.destroyed, getURL: () => contents.url, send: (...args: unknown[]) => sent.push(args) };
  window.webContents = contents;
  return { window, contents, sent };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

describe('registerIpcBridge', () => {
  function setup(url?: string) {
    const ipcMain = fakeIpcMain();
    const { window, contents, sent } = fakeWindow(url);
    const events = new EventBus();
    const dispatch = vi.fn(async (): Promise<Envelope<unknown>> => ({ result: { name: 'kubeflow-desktop', version: '0.1.0' } }));
    const desktop = { openExternal: vi.fn(async () => {}), pickFolder: vi.fn(async () => null) };
    // The fakes implement only what the bridge touches.
    const dispose = registerIpcBridge({ ipcMain, window, engine: { dispatch, events }, desktop, appOrigin: APP_ORIGIN } as never);
    return { ipcMain, window, contents, sent, events, dispatch, dispose };
  }

  it('registers one handler that checks the real sender', async () => {
    const { ipcMain, contents, dispatch } = setup();
    expect([...ipcMain.handlers.keys()]).toEqual([CALL_CHANNEL]);
    const handler = ipcMain.handlers.get(CALL_CHANNEL)!;
    const mainFrame = { url: `${APP_ORIGIN}/index.html`, parent: null };
    expect(await handler({ sender: contents, senderFrame: mainFrame }, 'version', {})).toEqual({
      result: { name: 'kubeflow-desktop', version: '0.1.0' },
    });
    const sub = { url: `${APP_ORIGIN}/index.html`, parent: mainFrame };
    expect(await handler({ sender: contents, senderFrame: sub }, 'version', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await handler({ sender: {}, senderFrame: mainFrame }, 'version', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(await handler({ sender: contents, senderFrame: null }, 'version', {})).toMatchObject({ error: { code: 'forbidden' } });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('forwards engine events and stops when the window closes', () => {
    const { window, sent, events, ipcMain } = setup();
    const settings = { theme: 'dark' as const, pythonPath: '', containerSocket: '' };
    events.emit('settings.changed', settings);
    expect(sent).toEqual([[EVENT_CHANNEL, 'settings.changed', settings]]);
    window.emit('closed');
    events.emit('settings.changed', settings);
    expect(sent).toHaveLength(1);
    expect(events.size).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('does not send events to a destroyed window or one showing another page', () => {
    const { contents, sent, events } = setup();
    const settings = { theme: 'light' as const, pythonPath: '', containerSocket: '' };
    contents.url = 'https://evil.com/';
    events.emit('settings.changed', settings);
    contents.url = `${APP_ORIGIN}/index.html`;
    contents.destroyed = true;
    events.emit('settings.changed', settings);
    expect(sent).toEqual([]);
  });

  it('can be registered again for a new window after dispose', () => {
    const first = setup();
    first.dispose();
    first.dispose(); // idempotent
    expect(() => registerIpcBridge({ ipcMain: first.ipcMain, window: fakeWindow().window, engine: { dispatch: first.dispatch, events: first.events }, desktop: {}, appOrigin: APP_ORIGIN } as never)).not.toThrow();
  });
});

describe('describeSender', () => {
  it('treats a throwing senderFrame getter as a disposed frame', () => {
    const contents = {};
    const event = { sender: contents, get senderFrame(): never { throw new Error('disposed'); } };
    expect(describeSender(event as never, contents as never)).toEqual({ frameUrl: null, isMainFrame: false, fromAppWindow: true });
  });
});

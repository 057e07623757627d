import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KfdBridge } from '../engine/api/contract.js';

// fake-electron for the preload side: records what is exposed and what is invoked.
const exposed = new Map<string, unknown>();
const ipc = Object.assign(new EventEmitter(), { invoke: vi.fn() });
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: ipc,
}));

let kfd: KfdBridge;
beforeAll(async () => {
  await import('./preload.js');
  kfd = exposed.get('kfd') as KfdBridge;
});

describe('preload bridge', () => {
  it('exposes exactly the KfdBridge shape under window.kfd and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['kfd']);
    expect(Object.keys(kfd).sort()).toEqual(['call', 'desktop', 'on']);
    expect(Object.keys(kfd.desktop!).sort()).toEqual(['openExternal', 'pickFolder']);
    expect(Object.values(kfd)).not.toContain(ipc);
  });

  it('call() invokes kfd:call and returns the envelope as is', async () => {
    ipc.invoke.mockResolvedValueOnce({ result: { name: 'kubeflow-desktop', version: '0.1.0' } });
    expect(await kfd.call('version', {})).toEqual({ result: { name: 'kubeflow-desktop', version: '0.1.0' } });
    expect(ipc.invoke).toHaveBeenLastCalledWith('kfd:call', 'version', {});
  });

  it('call() turns an IPC failure into an envelope instead of throwing', async () => {
    ipc.invoke.mockRejectedValueOnce(new Error("No handler registered for 'kfd:call'"));
    expect(await kfd.call('version', {})).toEqual({
      error: { code: 'unavailable', message: "version: the app did not answer (No handler registered for 'kfd:call')." },
    });
  });

  it('on() forwards name and payload only, and unsubscribes', () => {
    const seen: unknown[][] = [];
    const off = kfd.on((...args) => seen.push(args));
    const ipcEvent = { sender: ipc };
    ipc.emit('kfd:event', ipcEvent, 'settings.changed', { theme: 'dark' });
    ipc.emit('kfd:event', ipcEvent, 42, 'ignored: not an event name');
    off();
    ipc.emit('kfd:event', ipcEvent, 'settings.changed', { theme: 'light' });
    expect(seen).toEqual([['settings.changed', { theme: 'dark' }]]);
    expect(ipc.listenerCount('kfd:event')).toBe(0);
  });

  it('desktop extras go through kfd:call and throw the real message on error', async () => {
    ipc.invoke.mockResolvedValueOnce({ result: null });
    await kfd.desktop!.openExternal!('https://www.kubeflow.org/');
    expect(ipc.invoke).toHaveBeenLastCalledWith('kfd:call', 'desktop.openExternal', { url: 'https://www.kubeflow.org/' });
    ipc.invoke.mockResolvedValueOnce({ error: { code: 'bad_request', message: 'only http(s)' } });
    await expect(kfd.desktop!.openExternal!('file:///etc/passwd')).rejects.toThrow('only http(s)');
    ipc.invoke.mockResolvedValueOnce({ result: '/home/me/ws' });
    expect(await kfd.desktop!.pickFolder!()).toBe('/home/me/ws');
    ipc.invoke.mockResolvedValueOnce({ result: null });
    expect(await kfd.desktop!.pickFolder!()).toBeNull();
  });
});

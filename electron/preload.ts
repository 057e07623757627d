/**
 * Sandboxed preload: exposes exactly `KfdBridge` on `window.kfd`. Bundled to one CJS file
 * (sandboxed preloads cannot `require` anything but `electron` and a few polyfilled modules).
 * The page never receives `ipcRenderer` or an IPC event object (its `sender` is ipcRenderer).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope, KfdBridge } from '../engine/api/contract.js';
import { CALL_CHANNEL, DESKTOP_METHODS, EVENT_CHANNEL } from './ipc-channels.js';

async function call(method: string, input: unknown): Promise<Envelope<unknown>> {
  try {
    return (await ipcRenderer.invoke(CALL_CHANNEL, method, input)) as Envelope<unknown>;
  } catch (err) {
    // Only when main has no handler (window closing) or the input cannot be cloned.
    const message = err instanceof Error ? err.message : String(err);
    return { error: { code: 'unavailable', message: `${method}: the app did not answer (${message}).` } };
  }
}

async function desktopCall(method: string, input: unknown): Promise<unknown> {
  const envelope = await call(method, input);
  if ('error' in envelope) throw new Error(envelope.error.message);
  return envelope.result;
}

const bridge: KfdBridge = {
  call,
  on(listener) {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  desktop: {
    async openExternal(url: string) {
      await desktopCall(DESKTOP_METHODS.openExternal, { url });
    },
    async pickFolder() {
      const folder = await desktopCall(DESKTOP_METHODS.pickFolder, {});
      return typeof folder === 'string' ? folder : null;
    },
  },
};

contextBridge.exposeInMainWorld('kfd', bridge);

/**
 * The Electron transport of the one API: a single `kfd:call` handler in front of
 * `engine.dispatch`, plus event forwarding. Electron objects are passed in (types only here), so
 * the whole bridge runs in unit tests with small fakes.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiErrorBody, Envelope } from '../engine/api/contract.js';
import type { Engine } from '../engine/engine.js';
import { CALL_CHANNEL, DESKTOP_METHODS, EVENT_CHANNEL } from './ipc-channels.js';
import { externalUrl, isTrustedSender } from './window-policy.js';

export interface SenderInfo {
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
  /** The message came from our window's webContents (not some other contents). */
  fromAppWindow: boolean;
}

/** What the desktop extras do; main.ts supplies the Electron implementations. */
export interface DesktopActions {
  openExternal(url: string): Promise<void>;
  pickFolder(): Promise<string | null>;
}

// `doctor.run`, `settings.update`, `desktop.pickFolder`: dotted identifiers, nothing else.
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*$/;
const MAX_METHOD_LENGTH = 128;

export type Screened = { ok: true; method: string } | { ok: false; envelope: { error: ApiErrorBody } };

/** The sender and method checks, before anything reaches the engine. */
export function screenCall(sender: SenderInfo, method: unknown, appOrigin: string): Screened {
  if (!sender.fromAppWindow || !sender.isMainFrame || !isTrustedSender(sender.frameUrl, appOrigin)) {
    const where = sender.frameUrl ? `frame ${sender.frameUrl}` : 'a frame that no longer exists';
    return {
      ok: false,
      envelope: {
        error: {
          code: 'forbidden',
          message: `IPC call refused: it came from ${where}${sender.isMainFrame ? '' : ' (a subframe)'}, not the Kubeflow Desktop window (${appOrigin}).`,
        },
      },
    };
  }
  if (typeof method !== 'string' || method.length > MAX_METHOD_LENGTH || !METHOD_NAME.test(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : typeof method;
    return {
      ok: false,
      envelope: { error: { code: 'bad_request', message: `Invalid API method name ${shown}: expected a dotted name such as "settings.get".` } },
    };
  }
  return { ok: true, method };
}

/**
 * Makes sure the envelope survives Electron's structured clone; otherwise the renderer would see
 * "An object could not be cloned" instead of our message.
 */
export function ipcSafe(envelope: Envelope<unknown>): Envelope<unknown> {
  try {
    structuredClone(envelope);
    return envelope;
  } catch (err) {
    const what = 'error' in envelope ? `error "${envelope.error.message}"` : 'result';
    return {
      error: { code: 'internal', message: `The API returned a ${what} that cannot cross IPC: ${(err as Error).message}` },
    };
  }
}

function asObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
}

async function callDesktop(method: string, input: unknown, desktop: DesktopActions): Promise<Envelope<unknown>> {
  if (method === DESKTOP_METHODS.openExternal) {
    const raw = asObject(input).url;
    const url = typeof raw === 'string' ? externalUrl(raw) : null;
    if (!url) {
      return { error: { code: 'bad_request', message: `${method}: field \`url\` must be an http(s) URL without credentials.` } };
    }
    await desktop.openExternal(url);
    return { result: null };
  }
  if (method === DESKTOP_METHODS.pickFolder) return { result: await desktop.pickFolder() };
  return { error: { code: 'not_found', message: `Unknown desktop method "${method}".` } };
}

export interface CallHandlerDeps {
  dispatch: Engine['dispatch'];
  desktop: DesktopActions;
  appOrigin: string;
}

/** Screen, route (engine or desktop extras), and always answer with an envelope. */
export function createCallHandler({ dispatch, desktop, appOrigin }: CallHandlerDeps) {
  return async function handleCall(sender: SenderInfo, method: unknown, input: unknown): Promise<Envelope<unknown>> {
    const screened = screenCall(sender, method, appOrigin);
    if (!screened.ok) return screened.envelope;
    try {
      const envelope = screened.method.startsWith('desktop.')
        ? await callDesktop(screened.method, input, desktop)
        : await dispatch(screened.method, input);
      return ipcSafe(envelope);
    } catch (err) {
      // dispatch never throws; the desktop actions (dialogs, shell) might.
      return { error: { code: 'internal', message: `${screened.method} failed: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };
}

export function describeSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, appContents: WebContents): SenderInfo {
  let frame: IpcMainInvokeEvent['senderFrame'] = null;
  try {
    frame = event.senderFrame;
  } catch {
    frame = null; // the frame was disposed (navigated or closed) while the call was in flight
  }
  return {
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
    fromAppWindow: event.sender === appContents,
  };
}

export interface BridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  window: Pick<BrowserWindow, 'webContents' | 'once'>;
  engine: Pick<Engine, 'dispatch' | 'events'>;
  desktop: DesktopActions;
  appOrigin: string;
}

/** Wires one window to the engine; undone automatically when the window closes. */
export function registerIpcBridge({ ipcMain, window, engine, desktop, appOrigin }: BridgeOptions): () => void {
  const contents = window.webContents;
  const handleCall = createCallHandler({ dispatch: engine.dispatch, desktop, appOrigin });
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, input: unknown) =>
    handleCall(describeSender(event, contents), method, input),
  );

  const unsubscribe = engine.events.subscribe((name, payload) => {
    // Only a live window still showing the app receives engine events.
    if (contents.isDestroyed() || !isTrustedSender(contents.getURL(), appOrigin)) return;
    contents.send(EVENT_CHANNEL, name, payload);
  });

  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
  window.once('closed', dispose);
  return dispose;
}

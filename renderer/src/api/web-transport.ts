/**
 * Web mode (`kfd serve`): the contract over HTTP + one WebSocket, shaped like the Electron
 * bridge so the client treats both the same. See web-protocol.ts for the wire rules.
 */
import type { Envelope, KfdBridge } from '../../../engine/api/contract';
import { observable, type Observable } from './observable';
import { TOKEN_STORAGE_KEY, takeTokenFromUrl } from './token';
import {
  envelopeFromHttp,
  eventSubprotocols,
  eventsUrl,
  methodUrl,
  parseEventMessage,
  reconnectDelay,
  requestHeaders,
  unreachableEnvelope,
} from './web-protocol';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

export interface WebTransport extends KfdBridge {
  readonly connection: Observable<ConnectionState>;
  /** True once the server answered 401: the app shows its "not signed in" screen. */
  readonly signedOut: Observable<boolean>;
  close(): void;
}

/** Moves `?token=` from the address bar into sessionStorage; returns the token to use. */
export function adoptTokenFromLocation(): string | null {
  const { token, cleaned } = takeTokenFromUrl(window.location.href);
  if (token) {
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage disabled: the token still works for this page load.
    }
  }
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (cleaned !== current) window.history.replaceState(window.history.state, '', cleaned);
  if (token) return token;
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function createWebTransport(token: string | null = adoptTokenFromLocation()): WebTransport {
  const origin = window.location.origin;
  const connection = observable<ConnectionState>('connecting');
  const signedOut = observable(false);
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function markSignedOut(): void {
    signedOut.set(true);
    connection.set('signed-out');
    clearTimeout(timer);
    socket?.close();
  }

  function connect(): void {
    if (closed || signedOut.get()) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(eventsUrl(window.location), eventSubprotocols(token));
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      connection.set('connected');
    };
    ws.onmessage = (msg) => {
      const parsed = parseEventMessage(msg.data);
      if (!parsed) return;
      for (const listener of [...listeners]) {
        try {
          listener(parsed.event, parsed.payload);
        } catch (err) {
          console.error('kfd: event listener failed', err);
        }
      }
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closed || signedOut.get()) return;
    connection.set('reconnecting');
    clearTimeout(timer);
    timer = setTimeout(connect, reconnectDelay(attempt++));
  }

  async function call(method: string, input: unknown): Promise<Envelope<unknown>> {
    let response: Response;
    let text: string;
    const body = JSON.stringify(input ?? {});
    try {
      response = await fetch(methodUrl(method), {
        method: 'POST',
        headers: requestHeaders(token),
        body,
        cache: 'no-store',
        // A small call (a settings change) still reaches the engine if the page reloads right after.
        keepalive: body.length < 16_000,
      });
      text = await response.text();
    } catch {
      return unreachableEnvelope(origin);
    }
    const { envelope, unauthorized } = envelopeFromHttp(response.status, text, origin);
    if (unauthorized) markSignedOut();
    return envelope;
  }

  connect();

  return {
    call,
    on(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    connection,
    signedOut,
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

/**
 * The web-mode wire protocol, as pure functions (tested in node):
 * `POST /api/<method>` with a Bearer token → JSON envelope; events over one WebSocket at
 * `/api/events` with subprotocols `kfd.v1` + `kfd.token.<base64url(token)>`.
 */
import type { Envelope } from '../../../engine/api/contract';
import { isEnvelope } from './envelope';
import { base64url } from './token';

export const NOT_SIGNED_IN_MESSAGE =
  'Not signed in. Open the link printed by `kfd serve` (it carries the access token).';

export function methodUrl(method: string): string {
  return `/api/${method}`;
}

export function requestHeaders(token: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

export function unreachableEnvelope(origin: string): Envelope<never> {
  return {
    error: {
      code: 'unavailable',
      message: `Cannot reach the Kubeflow Desktop engine at ${origin}: is \`kfd serve\` still running?`,
    },
  };
}

/** What an HTTP answer means. `unauthorized` tells the app to show the "not signed in" screen. */
export function envelopeFromHttp(
  status: number,
  bodyText: string,
  origin: string,
): { envelope: Envelope<unknown>; unauthorized: boolean } {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  if (status === 401) {
    const serverMessage = isEnvelope(body) && 'error' in body ? body.error.message : '';
    return {
      unauthorized: true,
      envelope: { error: { code: 'unauthorized', message: NOT_SIGNED_IN_MESSAGE, details: serverMessage || undefined } },
    };
  }
  if (isEnvelope(body)) return { envelope: body, unauthorized: false };
  return {
    unauthorized: false,
    envelope: {
      error: {
        code: 'unavailable',
        message:
          `The server at ${origin} answered HTTP ${status} without a Kubeflow Desktop API reply. ` +
          'Open the address printed by `kfd serve`.',
      },
    },
  };
}

export function eventsUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/events`;
}

export function eventSubprotocols(token: string | null): string[] {
  return ['kfd.v1', `kfd.token.${base64url(token ?? '')}`];
}

/** 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
}

/** `{ "event": name, "payload": … }` → the pair, or null for anything malformed. */
export function parseEventMessage(data: unknown): { event: string; payload: unknown } | null {
  if (typeof data !== 'string') return null;
  try {
    const msg: unknown = JSON.parse(data);
    if (typeof msg !== 'object' || msg === null) return null;
    const { event, payload } = msg as { event?: unknown; payload?: unknown };
    return typeof event === 'string' ? { event, payload } : null;
  } catch {
    return null;
  }
}

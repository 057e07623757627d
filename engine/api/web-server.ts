/**
 * Web mode: the API contract over HTTP (`POST /api/<method>`) plus one WebSocket for events,
 * and the built renderer. Loopback by default; every API request needs the token.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorCode } from './contract.js';
import type { Dispatch } from './dispatch.js';
import type { EventBus } from './event-bus.js';
import { serveStatic } from './static-files.js';
import {
  allowedHosts,
  authorize,
  bearerToken,
  EVENTS_SUBPROTOCOL,
  isWildcardHost,
  tokenFromSubprotocols,
  type AuthDecision,
  type AuthPolicy,
  type MachineNames,
  type RequestFacts,
} from './web-auth.js';
import { APP_NAME, APP_VERSION } from '../version.js';

export interface WebServerOptions {
  dispatch: Dispatch;
  events: EventBus;
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  readonly url: string;
  /** When listening on every interface: the URL on each of this machine's LAN addresses. */
  readonly lanUrls: string[];
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A notebook is saved whole, outputs (images) included: it may be much larger than a call. */
const LARGE_BODY_BYTES: Readonly<Record<string, number>> = { 'notebooks.save': 256 * 1024 * 1024 };

class BodyTooLarge extends Error {}

const STATUS_FOR: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  cancelled: 409,
  unavailable: 503,
  internal: 500,
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`The request is larger than ${Math.round(limit / (1024 * 1024))} MiB.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** decodeURIComponent that answers null for malformed escapes (`%E0`, `%zz`) instead of throwing. */
export function decodePathPart(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function machineNames(): MachineNames {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return { addresses, hostname: os.hostname() };
}

/** Addresses another machine could use: not loopback, not link-local. */
function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && !i.address.toLowerCase().startsWith('fe80:'))
    .map((i) => i.address);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token || newToken();
  let policy: AuthPolicy = { token, hosts: new Set() };
  let port = 0;
  /** Host/Origin checks; on a wildcard bind a miss re-reads the interfaces (an address may be new). */
  function check(facts: RequestFacts): AuthDecision {
    const decision = authorize(facts, policy);
    if (decision.ok || decision.status !== 403 || !isWildcardHost(host)) return decision;
    policy = { token, hosts: allowedHosts(host, port, machineNames()) };
    return authorize(facts, policy);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const decision = check({ host: req.headers.host, origin: req.headers.origin, token: bearerToken(req.headers.authorization) });
    if (!decision.ok) {
      sendError(res, decision.status, decision.status === 401 ? 'unauthorized' : 'forbidden', decision.message);
      return;
    }
    if (req.method === 'GET' && method === 'version') {
      sendJson(res, 200, { name: APP_NAME, version: APP_VERSION });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendError(res, 405, 'bad_request', `Use POST /api/${method} with a JSON body.`);
      return;
    }
    let input: unknown = {};
    try {
      const text = await readBody(req, LARGE_BODY_BYTES[method] ?? MAX_BODY_BYTES);
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // The rest of the body is never read: this connection cannot carry another request.
        res.setHeader('Connection', 'close');
        sendError(res, 413, 'bad_request', `${method}: ${err.message}`);
        return;
      }
      sendError(res, 400, 'bad_request', `Request body for ${method} is not valid JSON: ${(err as Error).message}`);
      return;
    }
    const envelope = await options.dispatch(method, input);
    if ('error' in envelope) sendJson(res, STATUS_FOR[envelope.error.code] ?? 500, envelope);
    else sendJson(res, 200, envelope);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname.startsWith('/api/')) {
      const method = decodePathPart(pathname.slice('/api/'.length));
      if (method === null) {
        sendError(res, 400, 'bad_request', `The API path ${JSON.stringify(pathname.slice(0, 200))} is not valid percent-encoding.`);
        return;
      }
      await handleApi(req, res, method);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'bad_request', 'Only GET is served outside /api/.');
      return;
    }
    await serveStatic(options.staticDir, pathname, res);
  }

  // Nothing a client sends may end the server: a request that breaks a handler gets a 500 (or,
  // when the answer had begun, a closed connection) and the next request is served as usual.
  const server = http.createServer((req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal', (err as Error).message);
      else res.destroy();
    });
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(EVENTS_SUBPROTOCOL) ? EVENTS_SUBPROTOCOL : false),
  });
  // Sockets Node handed over for an upgrade are no longer the HTTP server's to close.
  const upgrading = new Set<Duplex>();
  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener: a reset from the client before the
    // handshake ends would otherwise be an uncaught 'error' event.
    socket.on('error', () => socket.destroy());
    upgrading.add(socket);
    socket.once('close', () => upgrading.delete(socket));
    const pathname = (req.url ?? '').split('?')[0];
    const decision =
      pathname === '/api/events'
        ? check({
            host: req.headers.host,
            origin: req.headers.origin,
            token: tokenFromSubprotocols(req.headers['sec-websocket-protocol']),
          })
        : ({ ok: false, status: 404, message: 'Not found' } as const);
    if (!decision.ok) {
      // end() alone would wait for the client's FIN on a socket nobody reads: it would never close.
      socket.end(`HTTP/1.1 ${decision.status} ${http.STATUS_CODES[decision.status]}\r\nConnection: close\r\n\r\n`, () => socket.destroy());
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });

  const unsubscribe = options.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const machine = machineNames();
  policy = { token, hosts: allowedHosts(host, port, machine) };
  const wildcard = isWildcardHost(host);
  const displayHost = wildcard ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const lanUrls = wildcard ? lanAddresses().map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${port}/`) : [];

  return {
    url: `http://${displayHost}:${port}/`,
    lanUrls,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      for (const socket of upgrading) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

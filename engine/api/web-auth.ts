/**
 * Web-mode access rules as pure functions (tested without sockets):
 * - every API request carries the token (`Authorization: Bearer`, or for the event WebSocket a
 *   `kfd.token.<base64url>` subprotocol, since browsers cannot set headers on WebSockets);
 * - a browser request from a foreign Origin is refused even with the right token;
 * - the Host header must name this server (DNS-rebinding defence).
 */
import { timingSafeEqual } from 'node:crypto';

export type AuthDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

export interface AuthPolicy {
  token: string;
  /** host:port strings this server answers to, e.g. `127.0.0.1:8123`, `localhost:8123`. */
  hosts: ReadonlySet<string>;
}

export const EVENTS_SUBPROTOCOL = 'kfd.v1';
const TOKEN_SUBPROTOCOL_PREFIX = 'kfd.token.';

/** This machine's own names, for a server that listens on every interface. */
export interface MachineNames {
  /** Interface addresses (os.networkInterfaces()); link-local ones with a zone are skipped. */
  addresses: readonly string[];
  hostname?: string;
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * The Host values this server answers to. Loopback names always; the bound address; and when it
 * listens on every interface (`--host 0.0.0.0`), each address of this machine and its host name,
 * so a browser elsewhere on the LAN that opens the printed URL gets in (with the token). Any other
 * name is refused, which is what defeats DNS rebinding.
 */
export function allowedHosts(host: string, port: number, machine?: MachineNames): Set<string> {
  const names = new Set([bracketed(host), '127.0.0.1', 'localhost', '[::1]']);
  if (isWildcardHost(host) && machine) {
    for (const address of machine.addresses) if (!address.includes('%')) names.add(bracketed(address));
    if (machine.hostname) names.add(machine.hostname);
  }
  names.delete('0.0.0.0');
  names.delete('[::]');
  return new Set([...names].map((name) => `${name.toLowerCase()}:${port}`));
}

export function tokensEqual(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function tokenFromSubprotocols(header: string | undefined): string | undefined {
  for (const raw of (header ?? '').split(',')) {
    const proto = raw.trim();
    if (proto.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
      try {
        return Buffer.from(proto.slice(TOKEN_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function tokenSubprotocol(token: string): string {
  return TOKEN_SUBPROTOCOL_PREFIX + Buffer.from(token, 'utf8').toString('base64url');
}

function originAllowed(origin: string, hosts: ReadonlySet<string>): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && hosts.has(url.host);
  } catch {
    return false;
  }
}

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  /** The token as presented (header or subprotocol), if any. */
  token: string | undefined;
}

export function authorize(req: RequestFacts, policy: AuthPolicy): AuthDecision {
  if (!req.host || !policy.hosts.has(req.host.toLowerCase())) {
    return { ok: false, status: 403, message: `Host "${req.host ?? ''}" is not this server; use the printed URL.` };
  }
  // Non-browser clients (curl, the CLI) send no Origin; browsers always do for POST and WebSocket.
  if (req.origin !== undefined && req.origin !== '' && !originAllowed(req.origin, policy.hosts)) {
    return { ok: false, status: 403, message: `Requests from origin ${req.origin} are not allowed.` };
  }
  if (!tokensEqual(policy.token, req.token)) {
    return {
      ok: false,
      status: 401,
      message: req.token
        ? 'The access token is wrong. Open the URL printed by `kfd serve` (it carries the token).'
        : 'An access token is required (Authorization: Bearer <token>). Open the URL printed by `kfd serve`.',
    };
  }
  return { ok: true };
}

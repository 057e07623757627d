/**
 * Malformed HTTP and WebSocket traffic for the web-mode fuzz test: a seeded generator of raw
 * requests (methods, paths with good and broken %-escapes, headers, bodies that are too big,
 * truncated or lying about their length, WebSocket upgrades with bad keys and subprotocols, bad
 * WebSocket frames) and a raw TCP client that sends bytes and reads the status line back.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/** mulberry32: small, fast, reproducible from one number (printed by the test). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzz {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
  text(n: number): string {
    const alphabet = 'abcAZ09-_./%?#&=+:;@!$*()[]{}\'",<>\\ \u00e9\u4e2d\u{1f600}';
    return Array.from({ length: n }, () => this.pick([...alphabet])).join('');
  }
}

const ESCAPES = ['%E0', '%', '%z', '%zz', '%C0%AF', '%00', '%2e%2e', '%2F', '%FF%FE', '%e0%a4%a', '%25', '%u2215', '%0d%0a'];
const API_NAMES = ['version', 'settings.get', 'settings.update', 'jobs.list', 'jobs.get', 'jobs.validate', 'workspace.templates', 'doctor.list', 'app.info', 'events', 'nope', 'jobs.run', ''];
const STATIC = ['/', '/index.html', '/output-frame.html', '/assets/app.js', '/churn.js', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/../index.html', '//etc/passwd', '/missing.png', '/fifo'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'get', 'BREW'];

export function fuzzPath(f: Fuzz): string {
  const api = f.chance(0.6);
  let p = api ? `/api/${f.pick(API_NAMES)}` : f.pick(STATIC);
  for (let i = f.chance(0.5) ? 0 : 1 + f.int(3); i > 0; i--) {
    const at = f.int(p.length + 1);
    const piece = f.chance(0.5) ? f.pick(ESCAPES) : encodeURIComponent(f.text(1 + f.int(4)));
    p = p.slice(0, at) + piece + p.slice(at);
  }
  if (f.chance(0.03)) p += 'x'.repeat(4000 + f.int(6000));
  if (f.chance(0.2)) p += `?${f.pick(['a=1', '%E0', 'token=', '&&=', 'q=%'])}${encodeURIComponent(f.text(f.int(6)))}`;
  return p.replace(/[\s#]/g, '');
}

export interface Target {
  port: number;
  token: string;
}

export interface RawRequest {
  bytes: Buffer;
  /** Close our side after sending (the server sees the end of a truncated body). */
  halfClose: boolean;
  /** Whether this request carries the real token where the server accepts it. */
  authorized: boolean;
  isApi: boolean;
  isUpgrade: boolean;
}

/** Every way to present a token that the server must NOT accept (wrong place, wrong value). */
function wrongAuth(f: Fuzz, t: Target): [string, string][] {
  const b64 = Buffer.from(t.token).toString('base64');
  return f.pick<[string, string][]>([
    [],
    [['Authorization', 'Bearer wrong-token']],
    [['Authorization', `Basic ${b64}`]],
    [['Authorization', `Bearer ${t.token}x`]],
    [['Authorization', `Bearer ${t.token.slice(0, -1)}`]],
    [['Authorization', `Token ${t.token}`]],
    [['Authorization', 'Bearer']],
    [['Authorization', `Bearer ${'a'.repeat(3000)}`]],
    [['Cookie', `token=${t.token}`]],
    [['X-Token', t.token]],
  ]);
}

function wsKey(f: Fuzz): string {
  return f.pick([randomBytes(16).toString('base64'), '', 'short', randomBytes(15).toString('base64'), '!!!!']);
}

export function fuzzRequest(f: Fuzz, t: Target, withToken: boolean): RawRequest {
  if (withToken && f.chance(0.4)) return wellFormedCall(f, t);
  const path = fuzzPath(f);
  const isUpgrade = f.chance(0.15);
  const method = isUpgrade ? 'GET' : f.pick(METHODS);
  const headers: [string, string][] = [];
  headers.push(
    ...f.pick<[string, string][]>([
      [['Host', `127.0.0.1:${t.port}`]],
      [['Host', `127.0.0.1:${t.port}`]],
      [['Host', `localhost:${t.port}`]],
      [['Host', `LOCALHOST:${t.port}`]],
      [['Host', `evil.example:${t.port}`]],
      [['Host', `127.0.0.1:${t.port + 1}`]],
      [],
      [['Host', `127.0.0.1:${t.port}`], ['Host', 'evil.example']],
    ]),
  );
  if (f.chance(0.4)) headers.push(['Origin', f.pick([`http://127.0.0.1:${t.port}`, 'http://evil.example', 'null', 'garbage', `http://localhost:${t.port}`, ''])]);
  const authorized = withToken && f.chance(0.85);
  if (authorized) headers.push(['Authorization', `${f.pick(['Bearer', 'bearer', 'BEARER'])} ${t.token}`]);
  else headers.push(...wrongAuth(f, t));
  if (isUpgrade) {
    headers.push(['Connection', f.pick(['Upgrade', 'upgrade, keep-alive', 'close'])], ['Upgrade', f.pick(['websocket', 'WebSocket', 'h2c', ''])]);
    if (f.chance(0.9)) headers.push(['Sec-WebSocket-Key', wsKey(f)]);
    if (f.chance(0.9)) headers.push(['Sec-WebSocket-Version', f.pick(['13', '13', '8', 'x', ''])]);
    const token = authorized ? tokenProto(t.token) : f.pick([tokenProto('wrong'), 'kfd.token.!!!!', 'kfd.token.', tokenProto(`${t.token}x`)]);
    const protos = f.pick([`kfd.v1, ${token}`, token, 'kfd.v1', `kfd.v1,,${token}`, `,,,${f.text(8)}`, `kfd.v1, ${token}, \u00e9\u00e9`, '']);
    if (f.chance(0.9)) headers.push(['Sec-WebSocket-Protocol', protos]);
  }
  if (f.chance(0.1)) headers.push([f.pick(['X-\u00e9', 'X-Long', 'Bad Header', 'X-A']), f.pick([f.text(20), 'x'.repeat(9000), '\u0000'])]);
  if (f.chance(0.3)) headers.push(['Content-Type', f.pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x', '\u00e9'])]);

  const body = fuzzBody(f);
  let halfClose = f.chance(0.2);
  const length = f.int(10);
  if (length === 0) {
    headers.push(['Content-Length', String(body.length + 1 + f.int(1_000_000))]); // more promised than sent
    halfClose = f.chance(0.7);
  } else if (length === 1) headers.push(['Content-Length', f.pick(['-1', 'abc', '99999999999999999999', '1, 2', ''])]);
  else if (length === 2) headers.push(['Transfer-Encoding', 'chunked']);
  else if (body.length) headers.push(['Content-Length', String(body.length)]);
  const chunked = length === 2;
  const head = `${method} ${path} ${f.chance(0.97) ? 'HTTP/1.1' : f.pick(['HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1 extra'])}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  const payload = chunked ? Buffer.concat([Buffer.from(f.pick([`${body.length.toString(16)}\r\n`, 'zz\r\n', `${(body.length + 50).toString(16)}\r\n`])), body, Buffer.from(f.pick(['\r\n0\r\n\r\n', '\r\n', '0\r\n']))]) : body;
  return { bytes: Buffer.concat([Buffer.from(head, 'utf8'), payload]), halfClose, authorized, isApi: path.startsWith('/api/'), isUpgrade };
}

/** A proper POST with the token to a real (or unknown) method and a fuzzed JSON body: reaches the engine. */
function wellFormedCall(f: Fuzz, t: Target): RawRequest {
  const body = f.chance(0.3) ? Buffer.from('{}') : fuzzBody(f);
  const head = `POST /api/${f.pick(API_NAMES)} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nAuthorization: Bearer ${t.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return { bytes: Buffer.concat([Buffer.from(head), body]), halfClose: false, authorized: true, isApi: true, isUpgrade: false };
}

function fuzzBody(f: Fuzz): Buffer {
  switch (f.int(8)) {
    case 0:
      return Buffer.alloc(0);
    case 1:
      return f.bytes(f.int(2000));
    case 2:
      return Buffer.from('{"theme":"dark"');
    case 3:
      return Buffer.from(JSON.stringify({ theme: f.pick(['dark', 'light', 7, null]), id: f.text(8), path: f.text(30), extra: [1, { a: f.text(4) }] }));
    case 4:
      return Buffer.from(f.pick(['[]', '"x"', '1e309', 'null', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}']));
    case 5:
      return Buffer.from('['.repeat(5000) + ']'.repeat(5000));
    case 6:
      return f.chance(0.1) ? Buffer.alloc(4 * 1024 * 1024 + 10, 0x20) : Buffer.from(`{"a":"${'x'.repeat(f.int(100_000))}"}`);
    default:
      return Buffer.from(f.text(f.int(200)), 'utf8');
  }
}

function tokenProto(token: string): string {
  return 'kfd.token.' + Buffer.from(token, 'utf8').toString('base64url');
}

/** Sends the bytes (in a few pieces) and resolves with the first response line ('' if none). */
export function sendRaw(port: number, req: { bytes: Buffer; halfClose: boolean }, idleMs = 400): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    let timer = setTimeout(() => socket.destroy(), idleMs * 5);
    const done = () => {
      clearTimeout(timer);
      resolve(got.split('\r\n')[0] ?? '');
    };
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.on('data', (d) => {
      got += d.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), idleMs);
    });
    socket.on('connect', () => {
      const cut = Math.min(req.bytes.length, 1 + Math.floor(req.bytes.length / 3));
      socket.write(req.bytes.subarray(0, cut));
      socket.write(req.bytes.subarray(cut), () => {
        if (req.halfClose) socket.end();
      });
    });
  });
}

/** A WebSocket client frame (masked unless asked otherwise). */
export function wsFrame(opts: { fin?: boolean; rsv?: number; opcode: number; payload: Buffer; mask?: boolean; lengthLie?: number }): Buffer {
  const { payload } = opts;
  const len = opts.lengthLie ?? payload.length;
  const first = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opts.opcode;
  const mask = opts.mask ?? true;
  const head = len < 126 ? Buffer.from([first, (mask ? 0x80 : 0) | len]) : len < 65536 ? Buffer.from([first, (mask ? 0x80 : 0) | 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([first, (mask ? 0x80 : 0) | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([head, key, masked]);
}

/** A frame the server must reject (close or drop the connection) without falling over. */
export function badFrame(f: Fuzz): Buffer {
  switch (f.int(9)) {
    case 0:
      return f.bytes(1 + f.int(64));
    case 1:
      return wsFrame({ opcode: 1, payload: Buffer.from('hello'), mask: false });
    case 2:
      return wsFrame({ opcode: 2, payload: Buffer.alloc(70 * 1024) }); // over the 64 KiB limit
    case 3:
      return wsFrame({ opcode: 1, payload: Buffer.from('x'), rsv: 1 + f.int(7) });
    case 4:
      return wsFrame({ opcode: 3 + f.int(5), payload: Buffer.from('?') });
    case 5:
      return wsFrame({ opcode: 9, payload: Buffer.alloc(200) }); // a ping longer than 125 bytes
    case 6:
      return wsFrame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) }); // not UTF-8
    case 7:
      return wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }); // close code 999
    default:
      return wsFrame({ opcode: 1, payload: Buffer.from('{}'), lengthLie: 2 ** 40 });
  }
}

/** Opens an authorized event WebSocket by hand; resolves with the socket after the 101. */
export function openRawWebSocket(t: Target): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const socket = net.connect(t.port, '127.0.0.1');
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('no answer to the WebSocket upgrade within 5 s'))), 5000);
    socket.on('error', reject);
    socket.once('data', (d) => {
      clearTimeout(timer);
      const text = d.toString('latin1');
      const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      if (text.startsWith('HTTP/1.1 101') && text.includes(accept)) resolve(socket);
      else reject(new Error(`no upgrade: ${text.split('\r\n')[0]}`));
    });
    socket.write(
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: kfd.v1, ${tokenProto(t.token)}\r\n\r\n`,
    );
  });
}

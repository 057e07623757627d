import { constants, open, realpath, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { cspForRendererPath } from './output-frame.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Same policy as the Electron window, plus the WebSocket back to this server. */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Kubeflow Desktop</title>
<body style="font-family:system-ui;padding:2rem"><h1>The UI is not built yet</h1>
<p>Run <code>npm run build:renderer</code> (or <code>npm start</code>, which builds it) and reload.</p>`;

/** Serves a file from `root` only; `..` and symlinks that leave the folder get 404. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const headers = {
    'Content-Security-Policy': WEB_CSP,
    'X-Content-Type-Options': 'nosniff',
    // The first page URL carries the token: never leak it through Referer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    res.writeHead(400, headers).end('Bad path');
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch {
    res.writeHead(503, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(NOT_BUILT_PAGE);
    return;
  }
  const candidate = path.resolve(rootReal, '.' + path.posix.normalize(rel));
  let real: string;
  let file: FileHandle;
  try {
    real = await realpath(candidate);
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) throw new Error('outside');
    // Opened before the answer starts: a file that vanishes now is a 404, not a broken stream.
    file = await open(real, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not block the read
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  try {
    const info = await file.stat();
    if (!info.isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
    // Notebook HTML/JS outputs need a frame page with its own policy (see output-frame.ts).
    const servedPath = '/' + path.relative(rootReal, real).split(path.sep).join('/');
    res.writeHead(200, {
      ...headers,
      'Content-Security-Policy': cspForRendererPath(servedPath, WEB_CSP),
      'Content-Type': type,
      'Content-Length': String(info.size),
    });
    if (res.req.method === 'HEAD') {
      res.end();
      return;
    }
    // A read that fails half-way (the file was truncated or its disk went away) ends this one
    // answer; the client sees a short body against Content-Length. The server goes on.
    await pipeline(file.createReadStream({ autoClose: false }), res).catch(() => res.destroy());
  } finally {
    await file.close().catch(() => undefined);
  }
}

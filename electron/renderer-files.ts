/**
 * Maps an `app://kfd/<path>` request to a file of the built renderer, confined by realpath so
 * neither `..`, encoded separators nor a symlink inside dist/renderer can reach other files.
 * Plain Node (no electron import) so it is tested against a real temp folder.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Unknown types are served as opaque bytes; with `nosniff` the renderer won't execute them. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute real path of the file to serve for `pathname` (URL-encoded, as in
 * `new URL(request.url).pathname`), or null when it is missing or outside `rootDir`.
 */
export async function resolveRendererFile(rootDir: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null; // malformed %-escape
  }
  // A backslash is a separator on Windows; NUL truncates paths in some APIs. Neither is ever
  // part of a renderer asset name, so refuse them on every platform.
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(rootDir);
    realFile = await realpath(path.resolve(realRoot, `.${path.posix.normalize(`/${decoded}`)}`));
  } catch {
    return null; // missing file (or missing renderer build)
  }
  const rel = path.relative(realRoot, realFile);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  try {
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

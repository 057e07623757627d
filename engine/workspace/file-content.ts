/**
 * What a file's bytes mean for the editor: text or binary, editable or too large, and an etag
 * that changes exactly when the content does (mtime alone misses two saves in the same tick).
 */
import { createHash } from 'node:crypto';

/** Git's rule of thumb: a NUL byte in the first 8000 bytes means binary. */
const SNIFF_BYTES = 8000;

export function contentEtag(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

/** For files too large to hash on every read: changes when the size or mtime does. */
export function statEtag(size: number, mtimeMs: number): string {
  return `s${size.toString(36)}-${Math.round(mtimeMs * 1000).toString(36)}`;
}

/** Decodes UTF-8, or null when the bytes are not text (NUL bytes, invalid UTF-8). */
export function decodeText(bytes: Uint8Array, { truncated = false } = {}): string | null {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return null;
  try {
    // A cut-off file may end inside a multi-byte character: only then decode leniently.
    return new TextDecoder('utf-8', { fatal: !truncated, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

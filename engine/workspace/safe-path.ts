/**
 * Confinement: every file the workspace API touches must be inside the workspace's real path.
 * A requested path is relative and "/"-separated; absolute paths, ".." segments and symlinks
 * that lead outside are refused with a message that says which and why.
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';

/** "a/b.py" → ["a", "b.py"]; refuses what could leave the folder before touching the disk. */
export function splitRelative(rel: string, platform: NodeJS.Platform = process.platform): string[] {
  if (rel.includes('\0')) throw refused(rel, 'it contains a NUL character');
  const windowsAbs = /^[a-zA-Z]:/.test(rel) || rel.startsWith('\\\\');
  if (rel.startsWith('/') || windowsAbs || (platform === 'win32' && rel.startsWith('\\'))) {
    throw refused(rel, 'absolute paths are not allowed; give a path relative to the workspace folder');
  }
  const parts = rel.split(platform === 'win32' ? /[\\/]/ : '/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw refused(rel, '".." is not allowed; give a path inside the workspace folder');
  if (parts.length === 0) throw refused(rel, 'it names the workspace folder itself, not a file in it');
  return parts;
}

export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}

/** "/ws/a/b.py" → "a/b.py" (always "/"-separated, as the API speaks). */
export function toRelative(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function refused(rel: string, why: string): ApiError {
  return new ApiError('forbidden', `Refused "${rel}": ${why}.`);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * An existing file or folder to read or write through: its real path (all symlinks resolved)
 * must be inside `root` (itself a real path).
 */
export async function resolveExisting(root: string, rel: string): Promise<string> {
  const abs = path.join(root, ...splitRelative(rel));
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    if (await exists(abs)) throw refused(rel, 'it is a symbolic link whose target does not exist');
    throw new ApiError('not_found', `${rel} does not exist in the workspace (it may have been moved or deleted).`);
  }
  if (!isInside(root, real)) throw refused(rel, `it is a symbolic link to ${real}, outside the workspace`);
  return real;
}

/**
 * A directory entry to create, rename or delete: its parent's real path must be inside `root`;
 * the entry itself is not followed (deleting a link removes the link, never its target).
 * Missing parent folders are allowed (they will be created inside the nearest existing one).
 */
export async function resolveEntry(root: string, rel: string): Promise<string> {
  const parts = splitRelative(rel);
  const name = parts[parts.length - 1]!;
  let existing = parts.length - 1;
  // Walk up to the nearest parent that exists; everything below it is created fresh, so cannot be a link.
  while (existing > 0 && !(await exists(path.join(root, ...parts.slice(0, existing))))) existing--;
  const parentReal = await realpath(path.join(root, ...parts.slice(0, existing)));
  if (!isInside(root, parentReal)) throw refused(rel, `its folder is a symbolic link to ${parentReal}, outside the workspace`);
  return path.join(parentReal, ...parts.slice(existing, -1), name);
}

/** Where a new file will be written: an entry that is not a symlink pointing outside (or nowhere). */
export async function resolveForWrite(root: string, rel: string): Promise<string> {
  const entry = await resolveEntry(root, rel);
  if (await exists(entry)) return resolveExisting(root, rel);
  return entry;
}

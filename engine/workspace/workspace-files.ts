/**
 * File operations inside one workspace (`root` is its real path): list, read, write with a
 * conflict check, rename, delete, mkdir. Every path goes through safe-path.ts first.
 */
import type { Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import { MAX_EDITABLE_BYTES, type FileContent, type FileEntry } from '../api/schemas/workspace.js';
import { contentEtag, decodeText, statEtag } from './file-content.js';
import { isInside, resolveEntry, resolveExisting, resolveForWrite, toRelative } from './safe-path.js';
import { isSkippedDirName } from './skip-dirs.js';

export const MAX_TREE_ENTRIES = 5000;

/** Breadth first, so the top levels are complete when a huge folder cuts the listing short. */
export async function listTree(root: string, limit = MAX_TREE_ENTRIES): Promise<{ entries: FileEntry[]; truncated: boolean }> {
  const entries: FileEntry[] = [];
  const queue: string[] = [root];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let children: Dirent[];
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or removed while walking: leave it out
    }
    for (const child of children) {
      if (entries.length >= limit) return { entries, truncated: true };
      const abs = path.join(dir, child.name);
      const entry = await describe(root, abs, child);
      if (!entry) continue;
      entries.push(entry);
      if (entry.kind === 'dir' && !entry.symlink && !entry.skipped) queue.push(abs);
    }
  }
  return { entries, truncated: false };
}

async function describe(root: string, abs: string, dirent: Dirent): Promise<FileEntry | null> {
  const rel = toRelative(root, abs);
  try {
    const symlink = dirent.isSymbolicLink();
    let info = await lstat(abs);
    if (symlink) {
      // A link is shown with its target's kind when the target is inside; never walked into.
      const target = await realpath(abs).catch(() => null);
      info = target && isInside(root, target) ? await stat(target) : info;
      const kind = target && isInside(root, target) ? kindOf(info) : 'other';
      return { path: rel, kind, size: info.size, mtimeMs: info.mtimeMs, symlink, skipped: false };
    }
    const kind = kindOf(info);
    const skipped = kind === 'dir' && (isSkippedDirName(dirent.name) || (await isVirtualenv(abs)));
    return { path: rel, kind, size: kind === 'file' ? info.size : 0, mtimeMs: info.mtimeMs, symlink, skipped };
  } catch {
    return null;
  }
}

function kindOf(info: { isFile(): boolean; isDirectory(): boolean }): FileEntry['kind'] {
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other';
}

/** A virtualenv under any name (`env/`, `.venv-3.11/`) has a pyvenv.cfg at its top. */
async function isVirtualenv(dir: string): Promise<boolean> {
  try {
    await lstat(path.join(dir, 'pyvenv.cfg'));
    return true;
  } catch {
    return false;
  }
}

export async function readWorkspaceFile(root: string, rel: string): Promise<FileContent> {
  const abs = await resolveExisting(root, rel);
  const info = await stat(abs);
  if (info.isDirectory()) throw new ApiError('bad_request', `${rel} is a folder, not a file.`);
  if (!info.isFile()) throw new ApiError('bad_request', `${rel} is not a regular file (a device, socket or pipe); it cannot be opened.`);
  const base = { path: normalise(rel), mtimeMs: info.mtimeMs, size: info.size };
  if (info.size > MAX_EDITABLE_BYTES) {
    const head = await readHead(abs, MAX_EDITABLE_BYTES);
    const text = decodeText(head, { truncated: true });
    const etag = statEtag(info.size, info.mtimeMs);
    if (text === null) return { ...base, text: '', etag, readOnly: true, readOnlyReason: 'binary', truncated: false };
    return { ...base, text, etag, readOnly: true, readOnlyReason: 'large', truncated: true };
  }
  const bytes = await readFile(abs);
  const text = decodeText(bytes);
  const etag = contentEtag(bytes);
  if (text === null) return { ...base, text: '', etag, readOnly: true, readOnlyReason: 'binary', truncated: false };
  return { ...base, text, etag, readOnly: false, readOnlyReason: null, truncated: false };
}

async function readHead(abs: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(abs, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The etag the file has now, or null when it does not exist. */
async function currentEtag(abs: string): Promise<{ etag: string; large: boolean } | null> {
  let info;
  try {
    info = await stat(abs);
  } catch {
    return null;
  }
  if (!info.isFile()) throw new ApiError('bad_request', `${path.basename(abs)} is not a regular file; it cannot be saved over.`);
  if (info.size > MAX_EDITABLE_BYTES) return { etag: statEtag(info.size, info.mtimeMs), large: true };
  return { etag: contentEtag(await readFile(abs)), large: false };
}

export interface WriteRequest {
  path: string;
  text: string;
  /** From the last read; null = the file must not exist yet. */
  etag: string | null;
  force: boolean;
}

export async function writeWorkspaceFile(root: string, req: WriteRequest): Promise<{ path: string; etag: string; mtimeMs: number; size: number }> {
  const bytes = Buffer.from(req.text, 'utf8');
  if (bytes.length > MAX_EDITABLE_BYTES) {
    throw new ApiError('bad_request', `${req.path} would be ${bytes.length} bytes; the editor saves files up to ${MAX_EDITABLE_BYTES} bytes (2 MiB).`);
  }
  const abs = await resolveForWrite(root, req.path);
  const now = await currentEtag(abs);
  if (now?.large && !req.force) {
    throw new ApiError('bad_request', `${req.path} is larger than 2 MiB on disk and opens read-only; it is not saved from the editor.`);
  }
  if (!req.force && (now?.etag ?? null) !== req.etag) {
    const message =
      now === null
        ? `${req.path} was deleted on disk after you opened it. Save again to create it, or close the tab.`
        : req.etag === null
          ? `${req.path} already exists. Open it instead, or choose another name.`
          : `${req.path} changed on disk since you opened it. Reload it to see the change, or overwrite it with yours.`;
    throw new ApiError('conflict', message, { path: req.path, etag: now?.etag ?? null });
  }
  await mkdir(path.dirname(abs), { recursive: true });
  // In place (not write-and-rename) so the file keeps its inode, mode and any hard links.
  await writeFile(abs, bytes);
  const info = await stat(abs);
  return { path: normalise(req.path), etag: contentEtag(bytes), mtimeMs: info.mtimeMs, size: info.size };
}

export async function renameWorkspaceEntry(root: string, from: string, to: string): Promise<{ from: string; to: string }> {
  const source = await resolveEntry(root, from);
  const target = await resolveEntry(root, to);
  await lstat(source).catch(() => {
    throw new ApiError('not_found', `${from} does not exist in the workspace (it may have been moved or deleted).`);
  });
  if (await lstat(target).then(() => true, () => false)) {
    throw new ApiError('conflict', `${to} already exists; choose another name or delete it first.`);
  }
  if (isInside(source, target)) throw new ApiError('bad_request', `Cannot move ${from} into itself (${to}).`);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(source, target);
  return { from: normalise(from), to: normalise(to) };
}

export async function deleteWorkspaceEntry(root: string, rel: string): Promise<{ path: string }> {
  const entry = await resolveEntry(root, rel);
  await lstat(entry).catch(() => {
    throw new ApiError('not_found', `${rel} does not exist in the workspace (it may have been moved or deleted).`);
  });
  // rm on a symlink removes the link itself, never what it points to.
  await rm(entry, { recursive: true, force: false });
  return { path: normalise(rel) };
}

export async function makeWorkspaceDir(root: string, rel: string): Promise<{ path: string }> {
  const entry = await resolveEntry(root, rel);
  const existing = await lstat(entry).catch(() => null);
  if (existing) {
    throw new ApiError('conflict', `${rel} already exists${existing.isDirectory() ? '' : ' as a file'}.`);
  }
  await mkdir(entry, { recursive: true });
  return { path: normalise(rel) };
}

function normalise(rel: string): string {
  return rel.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/**
 * .ipynb files inside a workspace folder: listed, read, created and saved through the
 * workspace's realpath confinement. A save names the hash it started from, so a file changed on
 * disk since (another editor, `git pull`) is a conflict instead of being overwritten; a save
 * that changes nothing leaves the file alone, so unchanged notebooks stay byte-identical.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, realpath, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import { resolveExisting, resolveForWrite, toRelative } from '../workspace/safe-path.js';
import { isSkippedDirName } from '../workspace/skip-dirs.js';
import { checkNotebook, NotebookFormatError, parseNotebook, sameNotebook, serializeNotebook, type NotebookDoc } from './notebook-format.js';

const MAX_LISTED = 2000;
const MAX_DEPTH = 8;

export const hashOf = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export async function realRoot(root: string): Promise<string> {
  try {
    const real = await realpath(path.resolve(root));
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
    return real;
  } catch {
    throw new ApiError('not_found', `Workspace folder ${root} does not exist or is not a folder.`);
  }
}

function requireIpynb(rel: string): void {
  if (!rel.toLowerCase().endsWith('.ipynb')) throw new ApiError('bad_request', `${rel} is not a notebook: the name must end in .ipynb.`);
}

/** Every .ipynb under root (skipping node_modules, .git, venvs, checkpoints), '/'-separated, sorted. */
export async function listNotebooks(root: string) {
  const base = await realRoot(root);
  const files: { path: string; size: number; mtimeMs: number }[] = [];
  let truncated = false;
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: list what we can
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_LISTED) {
        truncated = true;
        return;
      }
      const abs = path.join(dir, e.name);
      if (e.isDirectory() && !isSkippedDirName(e.name) && depth < MAX_DEPTH) await walk(abs, depth + 1);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.ipynb')) {
        const s = await stat(abs).catch(() => null);
        if (s) files.push({ path: toRelative(base, abs), size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  }
  await walk(base, 0);
  return { root: base, files, truncated };
}

export interface LoadedNotebook {
  root: string;
  path: string;
  abs: string;
  doc: NotebookDoc;
  hash: string;
  mtimeMs: number;
}

export async function readNotebook(root: string, rel: string): Promise<LoadedNotebook> {
  requireIpynb(rel);
  const base = await realRoot(root);
  const abs = await resolveExisting(base, rel);
  return readNotebookFile(abs, base);
}

/** Reads an absolute path (headless runs); `root` only shapes the relative path reported. */
export async function readNotebookFile(abs: string, root = path.dirname(abs)): Promise<LoadedNotebook> {
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ApiError(code === 'ENOENT' ? 'not_found' : 'internal', `Cannot read ${abs}: ${(err as Error).message}`);
  }
  let doc: NotebookDoc;
  try {
    doc = parseNotebook(bytes.toString('utf8'), abs);
  } catch (err) {
    if (err instanceof NotebookFormatError) throw new ApiError('bad_request', err.message);
    throw err;
  }
  const s = await stat(abs);
  return { root, path: toRelative(root, abs), abs, doc, hash: hashOf(bytes), mtimeMs: s.mtimeMs };
}

export async function statNotebook(root: string, rel: string) {
  requireIpynb(rel);
  const base = await realRoot(root);
  try {
    const abs = await resolveExisting(base, rel);
    const bytes = await readFile(abs);
    return { exists: true, hash: hashOf(bytes), mtimeMs: (await stat(abs)).mtimeMs };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') return { exists: false, hash: null, mtimeMs: null };
    throw err;
  }
}

/** Write to a temp file beside the target, then rename: a crash never leaves half a notebook. */
export async function writeAtomic(abs: string, text: string): Promise<void> {
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function createNotebook(root: string, rel: string, doc: NotebookDoc): Promise<LoadedNotebook> {
  requireIpynb(rel);
  const base = await realRoot(root);
  const abs = await resolveForWrite(base, rel);
  if (await lstat(abs).then(() => true, () => false)) throw new ApiError('conflict', `${rel} already exists; open it instead or pick another name.`);
  await writeAtomic(abs, serializeNotebook(doc));
  return readNotebookFile(abs, base);
}

export async function saveNotebook(input: {
  root: string;
  path: string;
  content: unknown;
  baseHash: string | null;
  force: boolean;
}): Promise<{ hash: string; mtimeMs: number; written: boolean }> {
  requireIpynb(input.path);
  const base = await realRoot(input.root);
  let doc: NotebookDoc;
  try {
    doc = checkNotebook(input.content, input.path);
  } catch (err) {
    throw new ApiError('bad_request', (err as Error).message);
  }
  const abs = await resolveForWrite(base, input.path);
  const current = await readFile(abs).catch(() => null);
  if (current) {
    const hash = hashOf(current);
    if (!input.force && input.baseHash !== hash) {
      throw new ApiError(
        'conflict',
        input.baseHash === null
          ? `${input.path} already exists on disk. Reload it, or save again to overwrite it.`
          : `${input.path} changed on disk since it was opened (another editor or program wrote it). Reload it, or overwrite it with your version.`,
        { hash },
      );
    }
    const mtimeMs = (await stat(abs)).mtimeMs;
    // Nothing changed: keep the bytes exactly as they are (key order, line splitting, floats).
    try {
      if (sameNotebook(JSON.parse(current.toString('utf8')), doc)) return { hash, mtimeMs, written: false };
    } catch {
      // the file on disk is not JSON any more: overwrite it (force or matching hash said so)
    }
  }
  const text = serializeNotebook(doc);
  await writeAtomic(abs, text);
  return { hash: hashOf(text), mtimeMs: (await stat(abs)).mtimeMs, written: true };
}

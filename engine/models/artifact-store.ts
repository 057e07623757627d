/**
 * Model files copied into the data dir, content-addressed: `<dataDir>/models/artifacts/<digest>/`
 * holds a copy of the file or folder under its own name. The user's files are only ever read
 * (never moved or changed); the same content registered twice is stored once. A copy is made in
 * a temp folder and renamed into place, so a crash leaves no half-copied artifact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';

export interface StoredArtifact {
  /** `sha256:<hex>` */
  digest: string;
  sizeBytes: number;
  /** Files relative to the artifact root (a single file: its name). */
  files: string[];
  /** `<dataDir>/models/artifacts/<hex>/<name>`: the copy of what was registered. */
  localPath: string;
  /** The file or folder name that was registered. */
  name: string;
  isDirectory: boolean;
}

/** At most this many files in a registered folder (a model, not a dataset). */
export const MAX_FILES = 10_000;

export function artifactsDirOf(dataDir: string): string {
  return path.join(dataDir, 'models', 'artifacts');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, relative, sorted; symlinks are refused (they could point anywhere). */
async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) throw new ApiError('bad_request', `${path.join(dir, r)} is a symbolic link; register the folder it points to, or copy the file in.`);
    if (entry.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (entry.isFile()) out.push(r);
    if (out.length > MAX_FILES) throw new ApiError('bad_request', `${dir} has more than ${MAX_FILES} files; register the model's own folder, not a data folder.`);
  }
  return out;
}

/** The digest of a file's content, or of a folder: sha256 over "<relative path>\0<file sha256>\n" in sorted order. */
export async function digestOf(source: string): Promise<{ digest: string; sizeBytes: number; files: string[]; isDirectory: boolean }> {
  const info = await stat(source);
  if (info.isFile()) return { digest: `sha256:${await sha256File(source)}`, sizeBytes: info.size, files: [path.basename(source)], isDirectory: false };
  if (!info.isDirectory()) throw new ApiError('bad_request', `${source} is neither a file nor a folder.`);
  const files = await listFiles(source);
  if (!files.length) throw new ApiError('bad_request', `${source} is an empty folder: there is no model in it.`);
  const tree = createHash('sha256');
  let sizeBytes = 0;
  for (const f of files) {
    tree.update(`${f}\0${await sha256File(path.join(source, f))}\n`);
    sizeBytes += (await stat(path.join(source, f))).size;
  }
  return { digest: `sha256:${tree.digest('hex')}`, sizeBytes, files, isDirectory: true };
}

/** Copies `source` (a file or a folder) into the store unless the same content is already there. */
export async function storeArtifact(dataDir: string, source: string): Promise<StoredArtifact> {
  const abs = path.resolve(source);
  const info = await lstat(abs).catch(() => null);
  if (!info) throw new ApiError('bad_request', `${abs} does not exist; give the path of the model file or folder.`);
  if (info.isSymbolicLink()) throw new ApiError('bad_request', `${abs} is a symbolic link; give the path it points to.`);
  const { digest, sizeBytes, files, isDirectory } = await digestOf(abs);
  const name = path.basename(abs);
  const root = artifactsDirOf(dataDir);
  const hex = digest.slice('sha256:'.length);
  // The name is part of what is stored: the same bytes under two names are two artifacts.
  const dir = path.join(root, `${hex}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`);
  const localPath = path.join(dir, name);
  const exists = await stat(localPath).then(() => true, () => false);
  if (!exists) {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const tmp = path.join(root, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(tmp, { recursive: true });
      await cp(abs, path.join(tmp, name), { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
      // The copy is checked before it is used: a file that changed while copying is not stored under the old digest.
      const copied = await digestOf(path.join(tmp, name));
      if (copied.digest !== digest) throw new ApiError('conflict', `${abs} changed while it was being copied; register it again once it is written.`);
      await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
        // Someone stored the same content meanwhile: theirs is identical.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  return { digest, sizeBytes, files, localPath, name, isDirectory };
}

/**
 * The folder browser's one call (`workspace.folders`): the sub-folders of a folder under the
 * user's home, for choosing a workspace where no native dialog exists (web mode) or the desktop
 * one fails. Home-rooted: it lists folders at or below home only (other paths are typed in the
 * field); folders only, never files or their contents; hidden ones on request.
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';

export interface FolderEntry {
  name: string;
  path: string;
  hidden: boolean;
}

export interface FolderListing {
  path: string;
  home: string;
  /** The folder above, or null at home. */
  parent: string | null;
  folders: FolderEntry[];
  /** More folders than MAX_FOLDERS: the list is cut (a name typed in the field still works). */
  truncated: boolean;
}

export const MAX_FOLDERS = 2000;

export function homeOf(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.HOME || os.homedir());
}

/** Whether `p` is home or below it, by its path (a link in home to elsewhere stays browsable). */
export function underHome(p: string, home: string): boolean {
  const rel = path.relative(home, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Names sorted as people read them: case-insensitive, numbers by value ("run2" before "run10"). */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export async function listFolders(input: { path?: string | undefined; showHidden?: boolean | undefined }, env: NodeJS.ProcessEnv): Promise<FolderListing> {
  const home = homeOf(env);
  if (input.path && !path.isAbsolute(input.path)) throw new ApiError('bad_request', `workspace.folders: field \`path\`: give an absolute path (got ${JSON.stringify(input.path)}).`);
  const dir = path.resolve(input.path || home);
  if (!underHome(dir, home)) {
    throw new ApiError('forbidden', `The folder browser shows folders under your home folder (${home}); type ${dir} in the field instead.`);
  }
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `${dir} is not a folder (any more).`);
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('forbidden', `${dir} cannot be read (permission denied).`);
    throw err;
  }
  const visible = names.filter((n) => input.showHidden || !n.startsWith('.'));
  // A symlink counts when it leads to a folder.
  const checked = await Promise.all(visible.map(async (name) => ((await stat(path.join(dir, name)).then((s) => s.isDirectory(), () => false)) ? name : null)));
  const folders = checked.filter((n): n is string => n !== null).sort(collator.compare);
  return {
    path: dir,
    home,
    parent: dir === home ? null : path.dirname(dir),
    folders: folders.slice(0, MAX_FOLDERS).map((name) => ({ name, path: path.join(dir, name), hidden: name.startsWith('.') })),
    truncated: folders.length > MAX_FOLDERS,
  };
}

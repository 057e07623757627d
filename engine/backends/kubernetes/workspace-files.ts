/**
 * The files of a workspace that are shipped to a cluster: everything except what .gitignore and
 * .kfdignore exclude (at any level, gitignore syntax; .kfdignore is read after .gitignore, so its
 * `!pattern` can bring back a file git ignores), the folders the workspace tree skips anyway
 * (.git, node_modules, virtualenvs, caches), and symbolic links (never followed: a link could
 * point anywhere on this machine).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ShippedFile } from '../../api/schemas/kubernetes.js';
import { isSkippedDirName } from '../../workspace/skip-dirs.js';

export const IGNORE_FILES = ['.gitignore', '.kfdignore'] as const;

export interface WorkspaceListing {
  /** Sorted by path ("/"-separated, relative to the workspace). */
  files: (ShippedFile & { mode: number })[];
  totalBytes: number;
  /** How many files and folders the ignore rules (or the built-in skips) left out. */
  ignored: number;
  /** Symbolic links left out, by path. */
  symlinks: string[];
}

interface Rules {
  /** The folder the rules belong to, relative to the workspace ('' = the root). */
  dir: string;
  ig: Ignore;
}

/** Rules of one folder from the text of its ignore files (in IGNORE_FILES order); null when there are none. */
export function rulesFrom(texts: readonly string[]): Ignore | null {
  const lines = texts.join('\n').trim();
  return lines ? ignore().add(texts.join('\n')) : null;
}

/** Whether any rule set, from the root down, ignores `rel` (a folder ends with "/"). */
export function isIgnored(stack: readonly Rules[], rel: string): boolean {
  let ignored = false;
  for (const r of stack) {
    const sub = r.dir ? rel.slice(r.dir.length + 1) : rel;
    const res = r.ig.test(sub);
    if (res.ignored) ignored = true;
    else if (res.unignored) ignored = false;
  }
  return ignored;
}

export async function listWorkspaceFiles(root: string): Promise<WorkspaceListing> {
  const out: WorkspaceListing = { files: [], totalBytes: 0, ignored: 0, symlinks: [] };
  async function walk(dirRel: string, stack: Rules[]): Promise<void> {
    const abs = path.join(root, dirRel);
    const texts = await Promise.all(IGNORE_FILES.map((f) => readFile(path.join(abs, f), 'utf8').catch(() => '')));
    const ig = rulesFrom(texts);
    const rules = ig ? [...stack, { dir: dirRel, ig }] : stack;
    const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        if (!isIgnored(rules, rel)) out.symlinks.push(rel);
        continue;
      }
      if (e.isDirectory()) {
        if (isSkippedDirName(e.name) || isIgnored(rules, `${rel}/`)) {
          out.ignored++;
          continue;
        }
        await walk(rel, rules);
      } else if (e.isFile()) {
        if (isIgnored(rules, rel)) {
          out.ignored++;
          continue;
        }
        const info = await lstat(path.join(root, rel));
        out.files.push({ path: rel, bytes: info.size, mode: info.mode & 0o777 });
        out.totalBytes += info.size;
      }
    }
  }
  await walk('', []);
  out.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

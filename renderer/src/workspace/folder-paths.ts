/** Folder paths typed on the start screen (web mode has no native folder dialog). Pure. */

/** Why the engine would refuse `path` as a folder, or null: it must be absolute. */
export function pathProblem(path: string): string | null {
  const p = path.trim();
  if (!p) return 'Enter the folder\'s full path.';
  if (p.startsWith('~')) return 'Write the home folder out in full (e.g. /home/you/…); "~" is not expanded.';
  if (!p.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(p)) return 'Give the full path, starting with / (e.g. /home/you/experiments/mnist).';
  return null;
}

/** "/a/b/c/" → "/a/b"; "/a" → "/". */
export function parentDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i > 0 ? trimmed.slice(0, i) : '/';
}

/** The new workspace's folder from "Create in" and "Folder name", or why not. */
export function newFolderPath(parent: string, name: string): { dir: string } | { problem: string } {
  const problem = pathProblem(parent);
  if (problem) return { problem };
  const n = name.trim();
  if (!n || /[/\\]/.test(n) || n === '.' || n === '..') return { problem: 'Give the new folder a name (without "/").' };
  return { dir: `${parent.trim().replace(/\/+$/, '')}/${n}` };
}

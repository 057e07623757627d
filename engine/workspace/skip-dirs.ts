/** Folders the tree and the watcher leave alone: big, generated, or not the user's code. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.ipynb_checkpoints',
]);

export function isSkippedDirName(name: string): boolean {
  return SKIPPED_DIRS.has(name);
}

/** True when the "/"-separated relative path is, or is inside, a skipped folder. */
export function isUnderSkippedDir(rel: string): boolean {
  return rel.split('/').some(isSkippedDirName);
}

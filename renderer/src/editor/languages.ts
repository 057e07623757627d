/** Which editor language a file opens in, by name. Pure (no Monaco import). */

/** The languages bundled with the editor; anything else opens as plain text. */
export type EditorLanguage = 'python' | 'yaml' | 'json' | 'markdown' | 'shell' | 'plaintext';

const BY_EXTENSION: Record<string, EditorLanguage> = {
  py: 'python',
  pyw: 'python',
  pyi: 'python',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  ipynb: 'json',
  jsonc: 'json',
  md: 'markdown',
  markdown: 'markdown',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
};

const BY_NAME: Record<string, EditorLanguage> = {
  '.bashrc': 'shell',
  '.profile': 'shell',
  '.env': 'shell',
};

export function languageForPath(path: string): EditorLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return (dot > 0 && BY_EXTENSION[name.slice(dot + 1)]) || 'plaintext';
}

/** A trainjob.yaml gets TrainJob validation, hovers and completion. */
export function isTrainJobPath(path: string): boolean {
  return /(^|\/)trainjob\.ya?ml$/i.test(path);
}

import { readFileSync } from 'node:fs';

/** The app's version, read once from package.json (works from source and from a bundle). */
export const APP_VERSION: string = (() => {
  const fromEnv = process.env.KFD_APP_VERSION;
  if (fromEnv) return fromEnv;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
})();

export const APP_NAME = 'kubeflow-desktop' as const;

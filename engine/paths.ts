import os from 'node:os';
import path from 'node:path';

/**
 * Where the app keeps its database, logs and caches. `KFD_DATA_DIR` overrides everything
 * (tests, portable installs); otherwise the platform's convention (XDG on Linux).
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = os.homedir()): string {
  if (env.KFD_DATA_DIR) return path.resolve(env.KFD_DATA_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Kubeflow Desktop');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Kubeflow Desktop');
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'kubeflow-desktop');
}

/**
 * The environment user code inherits — local ranks and their torch setup commands, pip building a
 * job's venv, the Jupyter server and so every kernel — is the user's own environment without the
 * app's: no `KFD_*` variable (the web-mode token `KFD_TOKEN`, data dir, sockets, test switches)
 * and no `JUPYTER_TOKEN` (the private Jupyter server's, or one the app was started with). The
 * launcher adds the variables a rank is meant to see (`KFD_JOB_ID`, the env contract) after this.
 * Registry credentials and kubeconfig tokens never are in the engine's environment: the engine
 * reads them from their files when it needs them and keeps them in memory only.
 */
export const APP_ONLY_PREFIX = 'KFD_';
export const APP_ONLY_NAMES: ReadonlySet<string> = new Set(['JUPYTER_TOKEN']);

export function isAppOnlyVariable(name: string): boolean {
  return name.startsWith(APP_ONLY_PREFIX) || APP_ONLY_NAMES.has(name);
}

export function userCodeEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !isAppOnlyVariable(name)) out[name] = value;
  return out;
}

/** kubectl against the app-private kubeconfig: server-side apply with our field manager, waits. */
import type { Runner } from './runner.js';

export const FIELD_MANAGER = 'kubeflow-desktop';

export function kubectl(r: Runner, kubeconfig: string, args: string[], input?: string, quiet = false) {
  return r.run('kubectl', ['--kubeconfig', kubeconfig, ...args], { ...(input !== undefined ? { input } : {}), quiet });
}

/** Server-side apply (CRDs are too big for client-side apply's annotation), taking over fields. */
export async function applyManifests(r: Runner, kubeconfig: string, yaml: string): Promise<void> {
  await kubectl(r, kubeconfig, ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], yaml);
}

export async function waitFor(r: Runner, kubeconfig: string, what: string[], condition: string, timeoutSeconds: number): Promise<void> {
  await kubectl(r, kubeconfig, ['wait', ...what, `--for=${condition}`, `--timeout=${timeoutSeconds}s`]);
}

export async function getJson<T>(r: Runner, kubeconfig: string, args: string[]): Promise<T> {
  return JSON.parse((await kubectl(r, kubeconfig, ['get', ...args, '-o', 'json'], undefined, true)).stdout) as T;
}

/** kubectl on PATH: the kubernetes backend and the local cluster drive it. */
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { describeFailure, probe } from '../probe.js';

export const FIX =
  'sudo apt-get install kubectl (after adding the Kubernetes apt repository: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)';

export const id = 'kubectl';
export const title = 'kubectl';

/** `kubectl version --client -o json` → "v1.32.4"; null when the output is not that JSON. */
export function parseKubectlVersion(stdout: string): string | null {
  try {
    const parsed = JSON.parse(stdout) as { clientVersion?: { gitVersion?: unknown } };
    const v = parsed.clientVersion?.gitVersion;
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const r = await probe('kubectl', ['version', '--client', '-o', 'json'], { env: ctx.env, signal: ctx.signal });
  if (!r.found) return { status: 'missing', detail: 'kubectl is not on PATH.', fix: FIX };
  if (r.exitCode !== 0) return { status: 'warning', detail: describeFailure('kubectl', r), fix: FIX };
  const version = parseKubectlVersion(r.stdout);
  if (!version) {
    return { status: 'warning', detail: `kubectl at ${r.path} printed no client version: ${r.stdout.trim().slice(0, 200)}`, fix: FIX };
  }
  return ok(`kubectl ${version} at ${r.path}.`);
}

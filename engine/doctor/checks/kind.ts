/** kind on PATH (or the copy the app keeps in `<data dir>/bin`): creates the local cluster. */
import path from 'node:path';
import { appDataDir } from '../../paths.js';
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { describeFailure, findOnPath, probe } from '../probe.js';

export const KIND_VERSION = 'v0.30.0';
// kind has no Debian package; the Go module proxy builds it.
export const FIX = `go install sigs.k8s.io/kind@${KIND_VERSION} && export PATH="$(go env GOPATH)/bin:$PATH"`;

export const id = 'kind';
export const title = 'kind';

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const bundled = path.join(appDataDir(ctx.env), 'bin', 'kind');
  const command = (await findOnPath('kind', ctx.env)) ?? ((await findOnPath(bundled, ctx.env)) ? bundled : null);
  if (!command) return { status: 'missing', detail: `kind is not on PATH (nor at ${bundled}).`, fix: FIX };
  const r = await probe(command, ['version'], { env: ctx.env, signal: ctx.signal });
  if (r.exitCode !== 0) return { status: 'warning', detail: describeFailure('kind', r), fix: FIX };
  // "kind v0.30.0 go1.24.6 linux/amd64"
  const version = /\bv\d+\.\d+\.\d+\S*/.exec(r.stdout)?.[0] ?? r.stdout.trim();
  return ok(`kind ${version} at ${r.path}.`);
}

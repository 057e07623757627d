/**
 * Node.js on PATH: the `kfd` CLI and `npm start` run on it. (Inside Electron the engine runs on
 * Electron's bundled Node, which we report alongside.)
 */
import { ok, type CheckContext, type CheckOutcome } from '../check.js';
import { describeFailure, probe } from '../probe.js';
import { atLeast } from '../version-compare.js';

export const MIN_NODE = '20.19.0';
const FIX = 'Install Node.js 22 LTS: `nvm install 22` (or the installer from https://nodejs.org/en/download)';

export const id = 'node';
export const title = 'Node.js';

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const runtime = `the engine itself runs on Node ${process.versions.node}`;
  const r = await probe('node', ['--version'], { env: ctx.env, signal: ctx.signal });
  if (!r.found) {
    return { status: 'warning', detail: `node is not on PATH (${runtime}); the kfd CLI needs Node ≥ ${MIN_NODE}.`, fix: FIX };
  }
  if (r.exitCode !== 0) return { status: 'warning', detail: describeFailure('node', r), fix: FIX };
  const version = r.stdout.trim();
  if (!atLeast(version, MIN_NODE)) {
    return { status: 'warning', detail: `node ${version} at ${r.path} is older than ${MIN_NODE}.`, fix: FIX };
  }
  return ok(`node ${version} at ${r.path} (${runtime}).`);
}

/**
 * The local cluster's offline assets (local-cluster/diagnostics/cluster-assets.ts, the same
 * check `kfd cluster doctor` runs). Here "not prepared" is a warning: only the local cluster needs them.
 */
import { checkClusterAssets } from '../../../local-cluster/diagnostics/cluster-assets.js';
import { appDataDir } from '../../paths.js';
import type { CheckContext, CheckOutcome } from '../check.js';

export const id = 'cluster-assets';
export const title = 'Local cluster assets';

export async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const r = await checkClusterAssets(appDataDir(ctx.env), ctx.env, ctx.signal);
  return r.status === 'missing' ? { ...r, status: 'warning', detail: `${r.detail} (Only the local cluster needs them.)` } : r;
}

/**
 * The offline assets `kfd cluster prepare` (or a bundle import) left here: the rendered
 * JobSet/Trainer manifests intact, and the node image and add-on images in Docker's store.
 */
import { imageId } from '../cli/docker-cli.js';
import { createRunner } from '../cli/runner.js';
import { MANIFESTS, PREPARE_FIX, readAssets, readManifest } from '../assets/asset-store.js';
import { appDataDir } from '../../engine/paths.js';
import { ok, type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';

export async function checkClusterAssets(dataDir: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CheckOutcome> {
  const rec = readAssets(dataDir);
  if (!rec) return { status: 'missing', detail: 'No cluster assets are prepared: a create needs the registries (or fails offline).', fix: PREPARE_FIX };
  const damaged = MANIFESTS.filter((id) => rec.manifests[id]).flatMap((id) => {
    const m = readManifest(dataDir, id, rec);
    return 'missing' in m ? [m.missing.detail] : [];
  });
  if (damaged.length) return { status: 'missing', detail: damaged.join(' '), fix: PREPARE_FIX };
  const r = createRunner(env, dataDir, signal ?? new AbortController().signal, null);
  const absent: string[] = [];
  try {
    for (const i of rec.images) if (!(await imageId(r, i.ref))) absent.push(i.ref);
  } catch (e) {
    return { status: 'warning', detail: `Manifests prepared (${Object.keys(rec.manifests).join(', ')}); images not checked: ${(e as Error).message}`, fix: 'Start Docker' };
  }
  const when = new Date(rec.preparedAt).toISOString().slice(0, 16).replace('T', ' ');
  if (absent.length) {
    return { status: 'warning', detail: `Manifests prepared ${when} UTC; ${absent.length} of ${rec.images.length} image(s) not on this machine: ${absent.join(', ')}.`, fix: PREPARE_FIX };
  }
  return ok(`Prepared ${when} UTC: ${Object.keys(rec.manifests).join(', ')} manifests and ${rec.images.length} image(s), ready offline.`);
}

export const clusterAssets: ClusterDiagnostic = {
  id: 'cluster-assets',
  title: 'Offline cluster assets',
  applicable: () => true,
  run: (ctx) => checkClusterAssets(appDataDir(ctx.env), ctx.env, ctx.signal),
};

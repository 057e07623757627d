/**
 * kind on PATH, else the app's own copy in `<data dir>/bin/kind` (engine/doctor's kind check
 * finds it), and a version whose default node image we have pinned.
 */
import { run as runKindCheck, KIND_VERSION, FIX as FIX_INSTALL } from '../../engine/doctor/checks/kind.js';
import { KIND_NODE_IMAGES, normaliseKindVersion } from '../node-images.js';
import { type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';

/** Warns when kind's version is not one we pinned a node image for (or the config expects). */
export function assessKindVersion(found: CheckOutcome, expected?: string): CheckOutcome {
  if (found.status !== 'ok') return found;
  const version = normaliseKindVersion(found.detail);
  if (!version) return { status: 'warning', detail: `Could not read kind's version from: ${found.detail}`, fix: FIX_INSTALL };
  const want = expected ? normaliseKindVersion(expected) : null;
  if (want && want !== version) {
    return {
      status: 'warning',
      detail: `${found.detail} The cluster settings expect kind ${want}; node images are only guaranteed with the release that built them.`,
      fix: `go install sigs.k8s.io/kind@${want}`,
    };
  }
  if (!KIND_NODE_IMAGES[version]) {
    return {
      status: 'warning',
      detail: `${found.detail} No node image is pinned for kind ${version} (known: ${Object.keys(KIND_NODE_IMAGES).join(', ')}).`,
      fix: `go install sigs.k8s.io/kind@${KIND_VERSION}, or set the node image from kind ${version}'s release notes`,
    };
  }
  return found;
}

export const kindBinary: ClusterDiagnostic = {
  id: 'kind-binary',
  title: 'kind',
  applicable: () => true,
  async run(ctx) {
    return assessKindVersion(await runKindCheck(ctx), ctx.cluster.kindVersion);
  },
};

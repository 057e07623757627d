/**
 * The node image each kind release defaults to, pinned by digest: kind's release notes say a
 * node image is only guaranteed to work with the release that built it, and only by digest.
 * Values are copied from the "default node image is now ..." line of each release's notes.
 * No registry host in the reference: kind (and Docker) resolve `kindest/node` themselves.
 */
export const KIND_NODE_IMAGES: Readonly<Record<string, string>> = {
  'v0.30.0': 'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a',
  'v0.29.0': 'kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f',
  'v0.26.0': 'kindest/node:v1.32.0@sha256:c48c62eac5da28cdadcf560d1d8616cfa6783b58f0d94cf63ad1bf49600cb027',
  'v0.25.0': 'kindest/node:v1.31.2@sha256:18fbefc20a7113353c7b75b5c869d7145a6abd6269154825872dc59c1329912e',
};

/** "0.30.0", "v0.30.0" and "kind v0.30.0 go1.24 linux/amd64" all normalise to "v0.30.0". */
export function normaliseKindVersion(version: string): string | null {
  const m = /\bv?(\d+\.\d+\.\d+)\b/.exec(version);
  return m ? `v${m[1]}` : null;
}

/** The pinned default node image for a kind release, or null when this table does not know it. */
export function defaultNodeImage(kindVersion: string): string | null {
  const v = normaliseKindVersion(kindVersion);
  return (v && KIND_NODE_IMAGES[v]) ?? null;
}

/**
 * A node image labelled `io.kubeflow-desktop.node.pod-network=built-in` brings its own pod
 * network (a CNI config it writes itself), so kind must not install its kindnetd: the create
 * then sets `networking.disableDefaultCNI`. The node image the tests build locally
 * (e2e/kind-node/) carries it; kindest/node images do not, and keep kind's network.
 */
export const NODE_POD_NETWORK_LABEL = 'io.kubeflow-desktop.node.pod-network';

export function bringsOwnPodNetwork(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return labels?.[NODE_POD_NETWORK_LABEL] === 'built-in';
}

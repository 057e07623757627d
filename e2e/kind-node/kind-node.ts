/**
 * What a test needs to create real kind clusters on these machines: the locally built node
 * image (./build.sh), kind, Docker, the harness's binaries (kubectl, the controllers), and the
 * environment kind runs in — with ./unprivileged-docker first on PATH where root lacks
 * CAP_SYS_RESOURCE (`docker run --privileged` fails there). Test infrastructure only: the app
 * never imports this folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerMissing, kindMissing } from '../../local-cluster/test-support/real-tools.js';
import { harnessCacheDir } from '../k8s-harness/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const KIND_NODE_DIR = here;
export const UNPRIVILEGED_DOCKER_DIR = path.join(here, 'unprivileged-docker');
/** Clusters made by tests are named kfd-test-*, so a leftover is easy to recognise and remove. */
export const TEST_CLUSTER_PREFIX = 'kfd-test-';

export interface NodeImageInfo {
  image: string;
  kubernetes: string;
  kind: string;
  stamp: string;
  buildSeconds: number;
  sizeBytes: number;
}

export function kindNodeCacheDir(): string {
  return process.env.KFD_KIND_NODE_CACHE || path.join(here, '.cache');
}

/** What ./build.sh last built (or found up to date), or null. */
export function nodeImageInfo(): NodeImageInfo | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(kindNodeCacheDir(), 'node-image.json'), 'utf8')) as NodeImageInfo;
  } catch {
    return null;
  }
}

function dockerHas(ref: string, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}

/** Root here lacks CAP_SYS_RESOURCE (capability 24), so `--privileged` cannot be granted. */
export function lacksSysResource(): boolean {
  try {
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    return hex ? (BigInt(`0x${hex}`) & (1n << 24n)) === 0n : false;
  } catch {
    return false;
  }
}

/**
 * The environment a real create runs in: the harness's kubectl (same Kubernetes version as the
 * node image) first on PATH, and ./unprivileged-docker before it where `--privileged` fails.
 */
export function kindEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dirs = [...(lacksSysResource() ? [UNPRIVILEGED_DOCKER_DIR] : []), path.join(harnessCacheDir(), 'bin')];
  return { ...base, PATH: [...dirs, base.PATH ?? ''].join(path.delimiter) };
}

/** null when a real cluster can be created here, else why not (and what to run). */
export function kindClusterMissing(): string | null {
  if (process.platform !== 'linux') return `real kind clusters are tested on Linux only (this is ${process.platform})`;
  const toolMissing = kindMissing() ?? dockerMissing();
  if (toolMissing) return toolMissing;
  for (const b of ['kubectl', 'jobset', 'trainer-controller-manager']) {
    if (!fs.existsSync(path.join(harnessCacheDir(), 'bin', b))) return `the k8s harness has no ${b} in ${path.join(harnessCacheDir(), 'bin')}; run: e2e/k8s-harness/build.sh --stage 2 --node`;
  }
  const info = nodeImageInfo();
  if (!info) return `the kind node image is not built (no ${path.join(kindNodeCacheDir(), 'node-image.json')}); run: npm run test:kind (or e2e/kind-node/build.sh)`;
  if (!dockerHas(info.image)) return `the kind node image ${info.image} is not in Docker; run: e2e/kind-node/build.sh`;
  return null;
}

/** Clusters kind knows whose names start with kfd-test-: what a test run may have left behind. */
export function testClusters(env: NodeJS.ProcessEnv = kindEnv()): string[] {
  try {
    return execFileSync('kind', ['get', 'clusters'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.startsWith(TEST_CLUSTER_PREFIX));
  } catch {
    return [];
  }
}

/** Removes a test cluster with kind itself (idempotent): for afterAll hooks and crashed runs. */
export function deleteTestCluster(name: string, env: NodeJS.ProcessEnv = kindEnv()): void {
  if (!name.startsWith(TEST_CLUSTER_PREFIX)) throw new Error(`refusing to delete ${name}: test clusters are named ${TEST_CLUSTER_PREFIX}*`);
  execFileSync('kind', ['delete', 'cluster', '--name', name], { stdio: 'ignore', env });
}

/**
 * The suite's shared parts, made once before the first file: whether a real cluster can be
 * created here (and if not, why), a data dir and a workspace root for the one cluster the files
 * share, and the JobSet and Trainer images (built from the harness's binaries, tagged as the
 * rendered manifests name them). Afterwards: the cluster is deleted if a file left it behind,
 * and the folder removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { controllerImageRefs, ensureControllerImages } from '../../e2e/kind-node/controller-images.js';
import { deleteTestCluster, kindClusterMissing, kindEnv, nodeImageInfo, testClusters, TEST_CLUSTER_PREFIX } from '../../e2e/kind-node/kind-node.js';

export interface KindSuite {
  /** null when the suite can run; else why not (and what to run). */
  missing: string | null;
  /** The cluster the files share (created by 01-create, deleted by 09-delete). */
  name: string;
  dataDir: string;
  /** Mounted at the same path in every node; workspaces under it run in place (hostPath). */
  workspaceRoot: string;
  nodeImage: string;
  controllerImages: { role: string; ref: string; built: boolean }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    kindSuite: KindSuite;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-kind-suite-'));
  const suite: KindSuite = {
    missing: kindClusterMissing(),
    name: `${TEST_CLUSTER_PREFIX}${process.pid}`,
    dataDir: path.join(dir, 'data'),
    workspaceRoot: path.join(dir, 'workspaces'),
    nodeImage: nodeImageInfo()?.image ?? '',
    controllerImages: [],
  };
  fs.mkdirSync(suite.dataDir);
  fs.mkdirSync(suite.workspaceRoot);
  const leftovers = testClusters();
  if (leftovers.length) console.warn(`kind clusters left by earlier test runs (kind delete cluster --name …): ${leftovers.join(', ')}`);
  if (!suite.missing) {
    try {
      const env = kindEnv();
      const started = Date.now();
      suite.controllerImages = ensureControllerImages(await controllerImageRefs(env), env);
      console.log(`controller images ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${suite.controllerImages.map((i) => `${i.ref}${i.built ? ' (built)' : ''}`).join(', ')}`);
    } catch (e) {
      suite.missing = `the JobSet and Trainer images could not be built: ${(e as Error).message}`;
    }
  }
  project.provide('kindSuite', suite);
  return () => {
    if (testClusters().includes(suite.name)) deleteTestCluster(suite.name);
    if (!process.env.KFD_KEEP_TEST_DIRS) fs.rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The local cluster on a real kind cluster (where one can be made: e2e/kind-node/, as the
 * real-cluster tests; otherwise skipped with the reason):
 *   - create from cached assets (node image and controller images on this machine, manifests
 *     prepared): seconds per step, and the whole create against its own kind step (what
 *     `kind create cluster` alone takes, measured in the same run);
 *   - submit → first log line of a one-line job on the local cluster (Kubernetes backend,
 *     workspace in place), against the same job as local processes (median of 5 each).
 * The cluster (kfd-test-bench-*) is deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterOperation } from '../engine/api/contract.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { controllerImageRefs, ensureControllerImages } from '../e2e/kind-node/controller-images.js';
import { deleteTestCluster, kindClusterMissing, kindEnv, nodeImageInfo, testClusters, TEST_CLUSTER_PREFIX } from '../e2e/kind-node/kind-node.js';
import { engineFirstLine } from './first-line.js';
import { median, ratioLine, timed } from './measure.js';

const IMAGE = 'kfd-test/python:bookworm';
const FIRST_LINE = 'first line from train.py';
const RUNS = 5;

async function call<T>(engine: Engine, method: string, input: unknown): Promise<T> {
  const answer = await engine.dispatch(method as never, input as never);
  if ('error' in answer) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result as T;
}

async function finished(engine: Engine, id: string): Promise<ClusterOperation> {
  for (;;) {
    const op = await call<ClusterOperation | null>(engine, 'cluster.operation', { id });
    if (op && op.status !== 'running') return op;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function run(): Promise<string[]> {
  const missing = kindClusterMissing();
  if (missing) return [`local cluster (real kind): skipped (${missing})`];
  const env = kindEnv();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-bench-kind-'));
  const name = `${TEST_CLUSTER_PREFIX}bench-${process.pid}`;
  const workspaces = path.join(dir, 'workspaces');
  const ws = path.join(workspaces, 'first-line');
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'train.py'), `print(${JSON.stringify(FIRST_LINE)}, flush=True)\n`);
  fs.writeFileSync(
    path.join(ws, 'trainjob.yaml'),
    `apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: first-line\nspec:\n  runtimeRef:\n    name: torch-distributed\n  trainer:\n    image: ${IMAGE}\n    command: ["python3", "train.py"]\n    numNodes: 1\n    numProcPerNode: 1\n`,
  );
  ensureControllerImages(await controllerImageRefs(env), env);
  const engine = createEngine({ dataDir: path.join(dir, 'data'), env: { ...env, KFD_PYTHON: fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' } });
  const lines: string[] = [];
  try {
    // Cached assets: prepare finds the node and controller images here (only the default
    // runtime's image cannot be pulled, which a create does not need).
    await finished(engine, (await call<{ operationId: string }>(engine, 'cluster.prepare', { nodeImage: nodeImageInfo()!.image })).operationId);
    const op = await finished(engine, (await call<{ operationId: string }>(engine, 'cluster.create', { name, workspaceRoot: workspaces, gpus: 'none' })).operationId);
    if (op.status !== 'succeeded') throw new Error(`create ${op.status}: ${op.error?.message}`);
    const took = (id: string) => {
      const st = op.steps.find((x) => x.id === id)!;
      return (st.finishedAt ?? 0) - (st.startedAt ?? 0);
    };
    lines.push(`cluster create from cached assets, per step: ${op.steps.map((st) => `${st.id} ${seconds(took(st.id))}`).join(', ')}`);
    lines.push(ratioLine(median('cluster.create (kind + images + waits + JobSet + Trainer + runtimes)', [(op.finishedAt ?? 0) - op.startedAt]), median('its kind step (kind create cluster)', [took('kind')])));

    execFileSync('kind', ['load', 'docker-image', IMAGE, '--name', name], { env, stdio: 'ignore' });
    const local = median('jobs.run as local processes → line in a jobs.log event', await timed(RUNS, 1, () => engineFirstLine(engine, ws, FIRST_LINE, 'local-process')));
    const cluster = median('jobs.run on the local cluster (Kubernetes backend) → line in a jobs.log event', await timed(RUNS, 1, () => engineFirstLine(engine, ws, FIRST_LINE, 'kubernetes', `local:${name}`)));
    lines.push(ratioLine(cluster, local));
  } finally {
    await engine.close();
    if (testClusters(env).includes(name)) deleteTestCluster(name, env);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

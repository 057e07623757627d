/** What the real-part tests in local-cluster share: is kind / Docker here, and a temp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findOnPath, probe } from '../../engine/doctor/probe.js';
import { requirePart } from '../../engine/doctor/test-support/fake-bin.js';

export async function tempDir(prefix = 'kfd-local-cluster-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The real kind binary, or a skip with the reason (also under CI: CI builds kind, it is not ours to fail on). */
export async function realKind(skip: (note?: string) => never): Promise<string> {
  const kind = await findOnPath('kind', process.env);
  if (kind) return kind;
  const reason = 'kind is not on PATH here (go install sigs.k8s.io/kind@v0.30.0)';
  console.warn(`[skipped] ${reason}`);
  return skip(reason);
}

/** A Docker engine that answers `docker version`; missing fails under CI=true, skips locally. */
export async function realDocker(skip: (note?: string) => never): Promise<void> {
  const r = await probe('docker', ['version', '--format', '{{.Server.Version}}'], { env: process.env, timeoutMs: 10_000 });
  if (r.exitCode !== 0) requirePart(skip, `Docker is not running here (${r.found ? r.stderr.trim().split('\n')[0] : 'no docker CLI'})`);
}

/** The kubectl the k8s test harness builds (same pinned Kubernetes as its kube-apiserver). */
export async function harnessKubectl(skip: (note?: string) => never): Promise<string> {
  const { harnessCacheDir } = await import('../../e2e/k8s-harness/harness.js');
  const file = path.join(harnessCacheDir(), 'bin', 'kubectl');
  if (await findOnPath(file, process.env)) return file;
  return requirePart(skip, `the harness kubectl is not built at ${file}; run: e2e/k8s-harness/build.sh --stage 1`);
}

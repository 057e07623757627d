/**
 * What the real-part tests in local-cluster share: is kind / Docker / the harness kubectl here,
 * and a temp dir. A file asks once, at load: `haveParts(what, ...reasons)` is true when every
 * part is here; otherwise it reports the first missing one through `reportMissingPart` (skipped
 * with the reason locally, a failing test under CI=true) and the file's real-part tests do not run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { reportMissingPart } from '../../engine/test-support/real-parts.js';

export async function tempDir(prefix = 'kfd-local-cluster-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** An executable file named `cmd` on PATH, or null. */
export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not in this dir
    }
  }
  return null;
}

/** null when the kind binary is on PATH, else why not. */
export function kindMissing(): string | null {
  return onPath('kind') ? null : 'kind is not on PATH here (scripts/install-prereqs-debian.sh, or go install sigs.k8s.io/kind@v0.30.0)';
}

/** null when a Docker engine answers `docker version`, else why not. */
export function dockerMissing(): string | null {
  if (!onPath('docker')) return 'the docker CLI is not on PATH (sudo apt-get install docker.io)';
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000 });
    return null;
  } catch (e) {
    const first = String((e as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0];
    return `Docker is not running here (${first || 'docker version failed'}); start it: sudo dockerd &`;
  }
}

/** The kubectl the k8s test harness builds (same pinned Kubernetes as its kube-apiserver). */
export async function harnessKubectlPath(): Promise<string> {
  const { harnessCacheDir } = await import('../../e2e/k8s-harness/harness.js');
  return path.join(harnessCacheDir(), 'bin', 'kubectl');
}

export async function harnessKubectlMissing(): Promise<string | null> {
  const file = await harnessKubectlPath();
  return fs.existsSync(file) ? null : `the harness kubectl is not built at ${file}; run: e2e/k8s-harness/build.sh --stage 1`;
}

/** True when every reason is null; else reports the first (fails under CI=true, skips locally). */
export function haveParts(what: string, ...reasons: (string | null)[]): boolean {
  const reason = reasons.find((r): r is string => !!r);
  return reason ? reportMissingPart(what, reason) : true;
}

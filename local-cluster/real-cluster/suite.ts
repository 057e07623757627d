/**
 * What each file of the real-cluster suite shares (global-setup.ts): the cluster's name, data
 * dir and workspace root, and an engine on that data dir with kind's environment. A missing part
 * is reported once per file: skipped with the reason locally, a failing test under CI=true.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { promisify } from 'node:util';
import { kindEnv } from '../../e2e/kind-node/kind-node.js';
import { kubeconfigPathOf } from '../cluster-record.js';
import { TestEngine } from '../../engine/jobs/test-support/test-engine.js';
import { reportMissingPart } from '../../engine/test-support/real-parts.js';
import type { KindSuite } from './global-setup.js';

export function kindSuite(): KindSuite & { ready: boolean } {
  const s = inject('kindSuite');
  return { ...s, ready: s.missing ? reportMissingPart('a real kind cluster', s.missing) : true };
}

/** The engine the app would run, on the suite's data dir, with kind's environment. */
export function suiteEngine(s: KindSuite, extraEnv: NodeJS.ProcessEnv = {}): TestEngine {
  return TestEngine.open(s.dataDir, { ...kindEnv(), ...extraEnv });
}

/** A copy of a template under the cluster's workspace root (so it runs in place). */
export function templateWorkspace(s: KindSuite, template: string, name: string): string {
  const dir = path.join(s.workspaceRoot, name);
  fs.cpSync(path.join(import.meta.dirname, '..', '..', 'templates', template), dir, { recursive: true });
  return dir;
}

/** `kubectl get … -o json` against the suite's cluster (its private kubeconfig), as a user would check. */
export async function kubectlJson<T>(s: KindSuite, args: string[], cluster = s.name): Promise<T> {
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfigPathOf(s.dataDir, cluster), ...args, '-o', 'json'], { env: kindEnv(), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

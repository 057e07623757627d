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
import type { JobDetail, LogLine } from '../../engine/api/contract.js';
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

/**
 * Runs the workspace on the suite's cluster until the job ends and returns it with its whole
 * history; a job that did not complete fails the test with its message and last 20 lines.
 */
export async function runToCompletion(te: TestEngine, s: KindSuite, ws: string, timeoutMs = 300_000): Promise<{ job: JobDetail; done: JobDetail; lines: LogLine[]; text: string[] }> {
  const job = await te.call('jobs.run', { path: ws, backend: 'kubernetes', target: `local:${s.name}` });
  const done = await te.waitForStatus(job.id, ['Complete', 'Failed', 'Cancelled'], timeoutMs);
  const lines = (await te.allLogs(job.id)).lines;
  const text = lines.map((l) => l.text);
  if (done.status !== 'Complete') throw new Error(`job ${done.status}: ${done.message}\n${text.slice(-20).join('\n')}`);
  return { job, done, lines, text };
}

/**
 * Test support for the kubernetes backend: one harness control plane per test file (starting one
 * costs seconds of CPU), workspaces with a trainjob.yaml, engines whose KUBECONFIG points at the
 * harness, and the TrainJob CRDs of other Trainer releases (from the Go module cache, fetched by
 * `go mod download` through the module proxy when missing).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { harnessMissing, needHarness, startControlPlane, type ControlPlane, type Stage, type StartOptions } from '../../../../e2e/k8s-harness/harness.js';
import { TestEngine } from '../../../jobs/test-support/test-engine.js';
import { makeTempDir } from '../../../test-support/real-parts.js';

export { needHarness };

/** Starts one control plane for the file (when the harness is built) and stops it after. */
export function useControlPlane(stage: Stage, options: Omit<StartOptions, 'stage'> = {}): { missing: string | null; cp: () => ControlPlane } {
  const missing = harnessMissing(stage);
  let cp: ControlPlane | undefined;
  beforeAll(async () => {
    if (!missing) cp = await startControlPlane({ quiet: false, ...options, stage });
  }, 240_000);
  afterAll(async () => {
    await cp?.stop();
  });
  return {
    missing,
    cp: () => {
      if (!cp) throw new Error('control plane not started');
      return cp;
    },
  };
}

export const TRAINJOB = (name: string, extra: { numNodes?: number; env?: { name: string; value: string }[]; runtime?: string; command?: string[] } = {}) =>
  [
    'apiVersion: trainer.kubeflow.org/v1alpha1',
    'kind: TrainJob',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  runtimeRef:',
    `    name: ${extra.runtime ?? 'torch-distributed'}  # the cluster's runtime`,
    '  trainer:',
    '    image: kfd-test/python:bookworm',
    `    command: ${JSON.stringify(extra.command ?? ['python3', 'train.py'])}`,
    `    numNodes: ${extra.numNodes ?? 1}`,
    ...(extra.env?.length ? ['    env:', ...extra.env.flatMap((e) => [`      - name: ${e.name}`, `        value: "${e.value}"`])] : []),
    '',
  ].join('\n');

/** A workspace folder with trainjob.yaml and the given files. */
export function makeWorkspace(prefix: string, trainjob: string, files: Record<string, string | Buffer> = { 'train.py': 'print("hello from the cluster")\n' }): string {
  const dir = makeTempDir('k8s', prefix);
  fs.writeFileSync(path.join(dir, 'trainjob.yaml'), trainjob);
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

/** An engine on a fresh data dir that sees the given kubeconfig(s) as KUBECONFIG. */
export function engineWith(kubeconfig: string | string[], dataDir = makeTempDir('k8s', 'data')): TestEngine {
  const env = { ...process.env, KUBECONFIG: [kubeconfig].flat().join(path.delimiter), HOME: dataDir };
  return TestEngine.open(dataDir, env);
}

/** The TrainJob CRD of a Trainer release, from the Go module cache. */
export function trainerCrdFile(version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `github.com/kubeflow/trainer/v2@${version}`], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 180_000 });
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  const file = dir && path.join(dir, 'manifests', 'base', 'crds', 'trainer.kubeflow.org_trainjobs.yaml');
  if (!file || !fs.existsSync(file)) throw new Error(`Trainer ${version}'s TrainJob CRD is not in the module (looked in ${dir})`);
  return file;
}

/**
 * fake-cloud-login: stands for a cloud CLI's kubectl credential plugin (gke-gcloud-auth-plugin,
 * aws eks get-token, kubelogin). It prints an ExecCredential with the token in its "login cache"
 * (the file given as $1) and notes each call in $2 — as a real plugin prints the token its login got.
 */
export function fakeCloudLogin(dir: string): string {
  const file = path.join(dir, 'fake-cloud-login');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      'echo call >> "$2"',
      'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\\n\' "$(cat "$1")"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

/** A kubeconfig for the harness whose user logs in through `plugin` (no token in the file). */
export function execKubeconfig(dir: string, cp: ControlPlane, plugin: string, tokenFile: string, callsFile: string, context = 'fake-cloud'): string {
  const file = path.join(dir, `${context}.kubeconfig`);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${cp.server}`,
    `    certificate-authority-data: ${Buffer.from(cp.ca).toString('base64')}`,
    'users:',
    `- name: ${context}-user`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1',
    `      command: ${plugin}`,
    `      args: ["${tokenFile}", "${callsFile}"]`,
    '      interactiveMode: Never',
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${context}-user`,
    '    namespace: team-a',
    `current-context: ${context}`,
    '',
  ].join('\n');
  fs.writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

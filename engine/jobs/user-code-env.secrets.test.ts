/**
 * User code never sees the app's secrets. An engine whose environment holds the web-mode token
 * (`KFD_TOKEN`, as `kfd serve` has it), another `KFD_*` secret and a `JUPYTER_TOKEN`, and that has
 * read a kubeconfig with a bearer token and a Docker config with registry credentials, runs code
 * that prints its whole environment: as a local rank, as a container rank (real Docker), and in
 * a notebook kernel (real Jupyter). None of them shows a secret; the user's own variables pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDocker, TEST_IMAGE } from '../backends/container/test-support/docker-parts.js';
import { NotebookHarness, requireJupyter } from '../notebooks/test-support.js';
import { hasPython, tempDir } from './test-support/parts.js';
import { jobEnv } from './test-support/python.js';
import { TestEngine } from './test-support/test-engine.js';
import { trainJobYaml } from './test-support/workspaces.js';

const SECRETS = {
  KFD_TOKEN: 'web-token-S3CRET-1',
  KFD_CLOUD_SECRET: 'app-secret-S3CRET-2',
  JUPYTER_TOKEN: 'outer-jupyter-S3CRET-3',
};
const KUBE_TOKEN = 'kube-bearer-S3CRET-4';
const REGISTRY_PASSWORD = 'registry-pass-S3CRET-5';
const ALL_SECRETS = [...Object.values(SECRETS), KUBE_TOKEN, REGISTRY_PASSWORD];

const PRINT_ENV = 'import json, os\nprint("ENV " + json.dumps(dict(os.environ)), flush=True)\n';

/** A home with a Docker config holding registry credentials, and a kubeconfig with a token. */
function homeWithCredentials(): { home: string; kubeconfig: string } {
  const home = tempDir('secrets-home');
  fs.mkdirSync(path.join(home, '.docker'));
  const auth = Buffer.from(`me:${REGISTRY_PASSWORD}`).toString('base64');
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'localhost:5999': { auth } } }));
  const kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      `users: [{name: u, user: {token: ${KUBE_TOKEN}}}]`,
      'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
      'current-context: ctx',
      '',
    ].join('\n'),
  );
  return { home, kubeconfig };
}

function engineEnv(): NodeJS.ProcessEnv {
  const { home, kubeconfig } = homeWithCredentials();
  return jobEnv({ HOME: home, KUBECONFIG: kubeconfig, MY_OWN_SETTING: 'users-value', ...SECRETS });
}

/** The environment a line `ENV {...}` printed, checked for every secret. */
function expectNoSecrets(printed: string): Record<string, string> {
  const line = printed.split('\n').find((l) => l.startsWith('ENV '));
  expect(line, `no ENV line in: ${printed.slice(0, 500)}`).toBeDefined();
  const env = JSON.parse(line!.slice(4)) as Record<string, string>;
  expect(Object.keys(env).filter((k) => k.startsWith('KFD_') && k !== 'KFD_JOB_ID')).toEqual([]);
  expect(env.JUPYTER_TOKEN).toBeUndefined();
  for (const secret of ALL_SECRETS) expect(line, `the environment shows ${secret}`).not.toContain(secret);
  return env;
}

async function runAndPrint(t: TestEngine, backend: 'local-process' | 'container', image?: string): Promise<string> {
  const ws = tempDir(`secrets-${backend}`);
  const yaml = trainJobYaml('print-env', { numNodes: 1, numProcPerNode: 1 }).replace('    command:', `${image ? `    image: ${image}\n` : ''}    command:`);
  fs.writeFileSync(path.join(ws, 'trainjob.yaml'), yaml);
  fs.writeFileSync(path.join(ws, 'train.py'), PRINT_ENV);
  await t.call('targets.list', { probe: false }); // the engine has read the kubeconfig
  const job = await t.call('jobs.run', { path: ws, backend });
  const done = await t.waitForStatus(job.id, undefined, 120_000);
  expect(done.status, done.message ?? '').toBe('Complete');
  return (await t.allLogs(job.id)).lines.map((l) => l.text).join('\n');
}

describe.runIf(hasPython())('a local rank', () => {
  let t: TestEngine;
  beforeAll(() => void (t = TestEngine.open(tempDir('secrets-data'), engineEnv())));
  afterAll(() => t?.close());

  it('sees the user\'s environment but none of the app\'s secrets', async () => {
    const env = expectNoSecrets(await runAndPrint(t, 'local-process'));
    expect(env.MY_OWN_SETTING).toBe('users-value');
    expect(env.KFD_JOB_ID).toMatch(/^[0-9a-z]{9}-[0-9a-f]{3}$/);
    expect(env.RANK).toBe('0');
  }, 150_000);
});

describe.runIf(await requireDocker())('a container rank (real Docker)', () => {
  let t: TestEngine;
  beforeAll(() => void (t = TestEngine.open(tempDir('secrets-ct-data'), { ...engineEnv(), ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) })));
  afterAll(() => t?.close());

  it('sees none of the app\'s secrets', async () => {
    const env = expectNoSecrets(await runAndPrint(t, 'container', TEST_IMAGE));
    expect(env.RANK).toBe('0');
  }, 150_000);
});

describe.runIf(requireJupyter())('a notebook kernel (real Jupyter)', () => {
  let h: NotebookHarness;
  beforeAll(() => void (h = new NotebookHarness(tempDir('secrets-nb-data'), engineEnv())));
  afterAll(() => h?.close());

  it('sees neither the Jupyter server\'s token nor the app\'s secrets', async () => {
    const root = tempDir('secrets-nb');
    await h.call('notebooks.create', { root, path: 'env.ipynb' });
    const { sessionId } = await h.call('notebooks.startKernel', { root, path: 'env.ipynb' });
    const r = await h.run(sessionId, PRINT_ENV);
    expect(r.status).toBe('ok');
    const env = expectNoSecrets(r.outputs.map((o) => String(o.text ?? '')).join(''));
    expect(env.MY_OWN_SETTING).toBe('users-value');
    expect(Object.keys(env).filter((k) => /TOKEN/i.test(k))).toEqual([]);
    // The private server's own token (jupyter_server writes it to its runtime dir, ours, 0700).
    const runtime = path.join(h.dataDir, 'jupyter', 'runtime');
    const info = fs.readdirSync(runtime).find((f) => /^jpserver-\d+\.json$/.test(f));
    const serverToken = (JSON.parse(fs.readFileSync(path.join(runtime, info!), 'utf8')) as { token: string }).token;
    expect(serverToken.length).toBeGreaterThan(10);
    expect(JSON.stringify(env)).not.toContain(serverToken);
  }, 150_000);
});

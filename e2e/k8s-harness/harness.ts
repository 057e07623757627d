/**
 * A real Kubernetes control plane for tests, built from Go modules by ./build.sh.
 *
 *   stage 1: etcd + kube-apiserver on loopback, generated keys, static-token auth, a kubeconfig,
 *            the JobSet and Trainer CRDs and Trainer's ClusterTrainingRuntimes installed.
 *   stage 2: + kube-controller-manager, kube-scheduler, kwok (one fake node, pod stages that
 *            complete Job pods or fail them), the JobSet and Trainer controllers out of cluster
 *            with their webhooks served on loopback with the harness's certificates.
 *
 * Usage (vitest; see harness.test.ts):
 *   const missing = harnessMissing(2);        // null, or why it cannot run here (and what to run)
 *   beforeAll(async () => { if (!missing) cp = await startControlPlane({ stage: 2 }); }, 240_000);
 *   afterAll(() => cp?.stop());
 *   it('...', (t) => { if (missing) return needHarness(t.skip, missing); ... });
 *   // needHarness: skips locally with the reason printed; under CI=true the test fails.
 *
 * Every process is started under `setpriv --pdeathsig KILL` (when available), so nothing
 * outlives the test process even if it is killed; stop() and process exit also stop them.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { skipMissingPart } from '../../engine/test-support/real-parts.js';
import { KubeClient, type KubeObject } from './kube.js';
import { kwokConfig, readDocs, webhookConfigs, yamlDocsWithRefs, yamlFiles } from './manifests.js';
import { cleanStaleRuns, componentEnv, freePorts, httpGet, installExitHook, isExecutable, live, logTail, startProc, stopProcs, waitUntil, type Proc } from './processes.js';

export type Stage = 1 | 2;

export interface HarnessVersions {
  kubernetes: string;
  etcd: string;
  trainer: string;
  jobset: string;
  kwok: string;
  go: string;
}

export interface ControlPlane {
  stage: Stage;
  /** A self-contained kubeconfig (CA data + token inline), mode 0600. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Static bearer token of a system:masters user. */
  token: string;
  /** PEM of the CA that signed every serving certificate of this run. */
  ca: string;
  /** The fake node's name (stage 2). */
  nodeName: string | null;
  /**
   * Stage 2: kwok's kubelet server answers every pod's log (`GET pods/<name>/log`, follow too)
   * from this file, in the CRI log format (`<RFC3339Nano> stdout F <text>` per line).
   */
  podLogsFile: string | null;
  versions: HarnessVersions;
  /** A small API client bound to this control plane (see kube.ts). */
  client: KubeClient;
  /** Seconds from start to ready, per step and in total. */
  timings: Record<string, number>;
  /** This run's directory (pki, etcd data, configs, logs); removed by stop() unless KFD_K8S_HARNESS_KEEP=1. */
  runDir: string;
  logDir: string;
  /** The component processes (name, pid) of this run. */
  processes(): { name: string; pid: number; running: boolean }[];
  stop(): Promise<void>;
}

export interface StartOptions {
  stage: Stage;
  /**
   * Stage 2: `backoffLimit` set on every replicated Job of the installed ClusterTrainingRuntimes.
   * Upstream leaves Kubernetes' default (6 retries with exponential back-off, about ten minutes
   * until a failing TrainJob is Failed); tests want failure in seconds. null keeps upstream's.
   */
  runtimeBackoffLimit?: number | null;
  /** Do not print the "ready in …" line with step timings (default false). */
  quiet?: boolean;
  /**
   * More static bearer tokens the API server accepts (its token file is read once, at start):
   * e.g. an OIDC id-token as a kubeconfig's auth-provider would send it, for the user and groups given.
   */
  extraTokens?: { token: string; user: string; groups?: string[] }[];
}

export { FAKE_EXIT_CODE_ENV, FAKE_RUN_DURATION_ENV } from './manifests.js';
/** Field manager the harness uses for what it installs. */
export const HARNESS_FIELD_MANAGER = 'kfd-k8s-harness';

const here = path.dirname(fileURLToPath(import.meta.url));

export function harnessCacheDir(): string {
  return process.env.KFD_K8S_HARNESS_CACHE || path.join(here, '.cache');
}

const STAGE_BINARIES: Record<Stage, string[]> = {
  1: ['kfd-harness-certs', 'etcd', 'kube-apiserver'],
  2: ['kfd-harness-certs', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'jobset', 'trainer-controller-manager', 'kwok'],
};

/** null when the stage can start here, else the reason (what to run to fix it). */
export function harnessMissing(stage: Stage): string | null {
  if (process.platform !== 'linux') return `the Kubernetes test harness runs on Linux only (this is ${process.platform})`;
  const cache = harnessCacheDir();
  const missing = STAGE_BINARIES[stage].filter((b) => !isExecutable(path.join(cache, 'bin', b)));
  if (missing.length) {
    return `Kubernetes test harness stage ${stage} is not built (missing ${missing.join(', ')} in ${path.join(cache, 'bin')}); run: e2e/k8s-harness/build.sh --stage ${stage}`;
  }
  const versionsFile = path.join(cache, 'manifests', 'versions.json');
  if (!fs.existsSync(versionsFile)) {
    return `Kubernetes test harness manifests are missing in ${cache}; run: e2e/k8s-harness/build.sh --stage ${stage}`;
  }
  const stale = stalePins(JSON.parse(fs.readFileSync(versionsFile, 'utf8')) as HarnessVersions, stage);
  if (stale.length) {
    return `Kubernetes test harness in ${cache} was built for other pins (${stale.join(', ')}); run: e2e/k8s-harness/build.sh --stage ${stage}`;
  }
  return null;
}

/** Pins in the wrapper go.mod files that differ from what the cache was built from ("kwok v0.8.0 ≠ v0.7.0"). */
function stalePins(built: HarnessVersions, stage: Stage): string[] {
  const pins: [keyof HarnessVersions, string, string][] = [
    ['kubernetes', 'kubernetes', 'k8s.io/kubernetes'],
    ['etcd', 'etcd', 'go.etcd.io/etcd/server/v3'],
    ['trainer', 'trainer', 'github.com/kubeflow/trainer/v2'],
    ['jobset', 'jobset', 'sigs.k8s.io/jobset'],
    ...(stage === 2 ? [['kwok', 'kwok', 'sigs.k8s.io/kwok'] as [keyof HarnessVersions, string, string]] : []),
  ];
  const out: string[] = [];
  for (const [key, dir, mod] of pins) {
    let gomod = '';
    try {
      gomod = fs.readFileSync(path.join(here, 'go', dir, 'go.mod'), 'utf8');
    } catch {
      continue;
    }
    const m = new RegExp(`^\\s*(?:require\\s+)?${mod.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(gomod);
    if (m && m[1] !== built[key]) out.push(`${key} ${m[1]} ≠ built ${built[key]}`);
  }
  return out;
}

/** The harness (or `what` it brings, e.g. the test registry) is missing: the one policy, real-parts.ts. */
export function needHarness(skip: (note: string) => unknown, reason: string, what = 'the Kubernetes test harness'): void {
  skipMissingPart(what, reason, skip);
}


// ---------------------------------------------------------------------------------------------

export async function startControlPlane(opts: StartOptions): Promise<ControlPlane> {
  const { stage, runtimeBackoffLimit = 0, quiet = false } = opts;
  const missing = harnessMissing(stage);
  if (missing) throw new Error(missing);

  const started = performance.now();
  const timings: Record<string, number> = {};
  let mark = started;
  const step = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round(t - mark) / 1000;
    mark = t;
  };

  const cache = harnessCacheDir();
  const bin = (name: string) => path.join(cache, 'bin', name);
  const manifests = path.join(cache, 'manifests');
  const versions = JSON.parse(fs.readFileSync(path.join(manifests, 'versions.json'), 'utf8')) as HarnessVersions;

  cleanStaleRuns();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-k8s-harness-'));
  fs.writeFileSync(path.join(runDir, 'owner.pid'), String(process.pid));
  const keep = process.env.KFD_K8S_HARNESS_KEEP === '1';
  const logDir = path.join(runDir, 'logs');
  const pki = path.join(runDir, 'pki');
  fs.mkdirSync(logDir);
  const procs: Proc[] = [];
  const podLogsFile = path.join(runDir, 'pod-logs.log');
  const run = { procs, runDir, keep };
  live.add(run);
  installExitHook();

  let client: KubeClient | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      client?.close();
      // Controllers first, then the API server, then etcd.
      const order = ['kwok', 'trainer', 'jobset', 'kube-scheduler', 'kube-controller-manager'];
      // (Trainer's manager otherwise takes 5 s to honour SIGTERM; nothing here needs a clean exit.)
      await stopProcs(procs.filter((p) => order.includes(p.name)), 1500);
      await stopProcs(procs.filter((p) => p.name === 'kube-apiserver'));
      await stopProcs(procs);
      live.delete(run);
      if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
    })());

  try {
    const certs = spawnSync(bin('kfd-harness-certs'), ['-dir', pki], { encoding: 'utf8' });
    if (certs.status !== 0) throw new Error(`kfd-harness-certs failed: ${certs.stderr || certs.error?.message}`);
    const ca = fs.readFileSync(path.join(pki, 'ca.crt'), 'utf8');
    const caBundle = Buffer.from(ca).toString('base64');
    const token = randomBytes(24).toString('hex');
    const tokenFile = path.join(runDir, 'tokens.csv');
    const extra = (opts.extraTokens ?? []).map((t) => `${t.token},${t.user},${t.user}${t.groups?.length ? `,"${t.groups.join(',')}"` : ''}\n`).join('');
    fs.writeFileSync(tokenFile, `${token},kfd-harness-admin,kfd-harness-admin,system:masters\n${extra}`, { mode: 0o600 });
    const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort, kwokPort, jobsetWebhook, jobsetHealth, trainerWebhook, trainerHealth] = (await freePorts(10)) as [
      number, number, number, number, number, number, number, number, number, number,
    ];
    step('certs');

    // etcd
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const etcd = startProc('etcd', bin('etcd'), [
      '--name=harness',
      `--data-dir=${path.join(runDir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=harness=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], logDir);
    procs.push(etcd);
    await waitUntil('etcd /health', async () => (await httpGet(`${etcdUrl}/health`)).body.includes('"health":"true"'), { proc: etcd, timeoutMs: 30_000 });
    step('etcd');

    // kube-apiserver
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProc('kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${path.join(pki, 'serving.crt')}`,
      `--tls-private-key-file=${path.join(pki, 'serving.key')}`,
      `--client-ca-file=${path.join(pki, 'ca.crt')}`,
      // Front-proxy settings, so delegated authentication (controller-manager, scheduler) finds them.
      `--requestheader-client-ca-file=${path.join(pki, 'ca.crt')}`,
      '--requestheader-allowed-names=kfd-k8s-harness',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${path.join(pki, 'serving.crt')}`,
      `--proxy-client-key-file=${path.join(pki, 'serving.key')}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      // kwok's node has no resolvable host name: reach its kubelet (pods/log) by address.
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '--v=1',
    ], logDir);
    procs.push(apiserver);
    await waitUntil('kube-apiserver /readyz', async () => {
      const r = await httpGet(`${server}/readyz`, ca);
      return r.status === 200;
    }, { proc: apiserver, timeoutMs: 90_000 });
    step('kube-apiserver');

    const kubeconfigPath = path.join(runDir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kfd-harness', cluster: { server, 'certificate-authority-data': caBundle } }],
      users: [{ name: 'kfd-harness-admin', user: { token } }],
      contexts: [{ name: 'kfd-harness', context: { cluster: 'kfd-harness', user: 'kfd-harness-admin', namespace: 'default' } }],
      'current-context': 'kfd-harness',
    }), { mode: 0o600 });
    client = new KubeClient({ server, token, ca });
    const kc = client;

    // CRDs from the pinned modules
    const crdDocs = [...yamlFiles(path.join(manifests, 'jobset', 'crds')), ...yamlFiles(path.join(manifests, 'trainer', 'crds'))].flatMap(yamlDocsWithRefs);
    type Crd = KubeObject & { spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] }; status?: { conditions?: { type: string; status: string }[] } };
    const crds = await Promise.all(crdDocs.map((d) => kc.applyYaml<Crd>(d.text, d.ref, { fieldManager: HARNESS_FIELD_MANAGER, force: true })));
    await Promise.all(crds.map((crd) => waitUntil(`CRD ${crd.metadata.name} Established`, async () => {
      const c = await kc.get<Crd>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return !!c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
    }, { timeoutMs: 30_000 })));
    // Established is not yet servable: the resource's storage may still answer 429 for a moment.
    await Promise.all(crds.map((crd) => {
      const v = crd.spec.versions.find((x) => x.served)?.name;
      return waitUntil(`${crd.metadata.name} servable`, async () => {
        await kc.get(`/apis/${crd.spec.group}/${v}/${crd.spec.names.plural}`, { limit: 1 });
        return true;
      }, { timeoutMs: 30_000 });
    }));
    step('crds');

    const runtimes = yamlFiles(path.join(manifests, 'trainer', 'runtimes')).flatMap(readDocs);
    if (stage === 2 && runtimeBackoffLimit !== null) {
      for (const rt of runtimes) {
        const jobs = (rt['spec'] as { template?: { spec?: { replicatedJobs?: { template: { spec?: Record<string, unknown> } }[] } } }).template?.spec?.replicatedJobs ?? [];
        for (const j of jobs) j.template.spec = { ...(j.template.spec ?? {}), backoffLimit: runtimeBackoffLimit };
      }
    }

    let nodeName: string | null = null;
    if (stage === 1) {
      await Promise.all(runtimes.map((rt) => kc.apply(rt, { fieldManager: HARNESS_FIELD_MANAGER, force: true })));
      step('runtimes');
    } else {
      const kubeconfigArgs = [`--kubeconfig=${kubeconfigPath}`, `--authentication-kubeconfig=${kubeconfigPath}`, `--authorization-kubeconfig=${kubeconfigPath}`];
      const tlsArgs = [`--tls-cert-file=${path.join(pki, 'serving.crt')}`, `--tls-private-key-file=${path.join(pki, 'serving.key')}`];
      const kcm = startProc('kube-controller-manager', bin('kube-controller-manager'), [
        ...kubeconfigArgs,
        ...tlsArgs,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        '--leader-elect=false',
        `--service-account-private-key-file=${path.join(pki, 'sa.key')}`,
        `--root-ca-file=${path.join(pki, 'ca.crt')}`,
        `--cluster-signing-cert-file=${path.join(pki, 'ca.crt')}`,
        `--cluster-signing-key-file=${path.join(pki, 'ca.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--profiling=false',
        '--v=1',
      ], logDir);
      const scheduler = startProc('kube-scheduler', bin('kube-scheduler'), [
        ...kubeconfigArgs,
        ...tlsArgs,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        '--leader-elect=false',
        '--profiling=false',
        '--v=1',
      ], logDir);
      procs.push(kcm, scheduler);

      // kwok: one fake node, fast stages + our failure stage
      const kwokCfg = path.join(runDir, 'kwok.yaml');
      fs.writeFileSync(podLogsFile, '', { mode: 0o644 });
      fs.writeFileSync(kwokCfg, kwokConfig(path.join(manifests, 'kwok', 'stages'), podLogsFile));
      const kwok = startProc('kwok', bin('kwok'), [
        `--kubeconfig=${kubeconfigPath}`,
        `--config=${kwokCfg}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--server-address=127.0.0.1:${kwokPort}`,
        // The node advertises this port as its kubelet, so the API server proxies pods/log to kwok.
        `--node-port=${kwokPort}`,
        '--node-ip=127.0.0.1',
        '--v=INFO',
      ], logDir, componentEnv({ HOME: runDir }));
      procs.push(kwok);

      // JobSet and Trainer, out of cluster, webhooks on loopback with our serving certificate
      const certDir = (name: string) => {
        const d = path.join(runDir, name, 'k8s-webhook-server', 'serving-certs');
        fs.mkdirSync(d, { recursive: true });
        fs.copyFileSync(path.join(pki, 'serving.crt'), path.join(d, 'tls.crt'));
        fs.copyFileSync(path.join(pki, 'serving.key'), path.join(d, 'tls.key'));
        return d;
      };
      const jobsetCfg = path.join(runDir, 'jobset-config.yaml');
      fs.writeFileSync(jobsetCfg, stringify({
        apiVersion: 'config.jobset.x-k8s.io/v1alpha1',
        kind: 'Configuration',
        leaderElection: { leaderElect: false },
        internalCertManagement: { enable: false },
        webhook: { port: jobsetWebhook, host: '127.0.0.1', certDir: certDir('jobset') },
        metrics: { bindAddress: '0' },
        health: { healthProbeBindAddress: `127.0.0.1:${jobsetHealth}` },
      }));
      const jobset = startProc('jobset', bin('jobset'), [`--kubeconfig=${kubeconfigPath}`, `--config=${jobsetCfg}`, '--zap-log-level=info'], logDir);
      const trainerCfg = path.join(runDir, 'trainer-config.yaml');
      fs.writeFileSync(trainerCfg, stringify({
        apiVersion: 'config.trainer.kubeflow.org/v1alpha1',
        kind: 'Configuration',
        webhook: { port: trainerWebhook, host: '127.0.0.1' },
        leaderElection: { leaderElect: false },
        metrics: { bindAddress: '0' },
        health: { healthProbeBindAddress: `127.0.0.1:${trainerHealth}`, readinessEndpointName: 'readyz', livenessEndpointName: 'healthz' },
        certManagement: { enable: false },
      }));
      certDir('trainer');
      // controller-runtime's default webhook cert dir is $TMPDIR/k8s-webhook-server/serving-certs.
      const trainer = startProc('trainer', bin('trainer-controller-manager'), [`--kubeconfig=${kubeconfigPath}`, `--config=${trainerCfg}`], logDir,
        componentEnv({ TMPDIR: path.join(runDir, 'trainer') }));
      procs.push(jobset, trainer);

      nodeName = 'kwok-node-0';
      await kc.apply({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: nodeName,
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
          labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
        },
      }, { fieldManager: HARNESS_FIELD_MANAGER, force: true });

      await Promise.all([
        waitUntil('jobset readyz', async () => (await httpGet(`http://127.0.0.1:${jobsetHealth}/readyz`)).status === 200, { proc: jobset, timeoutMs: 60_000 }),
        waitUntil('trainer readyz', async () => (await httpGet(`http://127.0.0.1:${trainerHealth}/readyz`)).status === 200, { proc: trainer, timeoutMs: 60_000 }),
      ]);
      step('jobset+trainer');
      const webhooks = [
        ...webhookConfigs(path.join(manifests, 'jobset', 'webhook'), 'jobset', jobsetWebhook, caBundle),
        ...webhookConfigs(path.join(manifests, 'trainer', 'webhook'), 'trainer', trainerWebhook, caBundle),
      ];
      await Promise.all(webhooks.map((w) => kc.apply(w, { fieldManager: HARNESS_FIELD_MANAGER, force: true })));
      // Runtimes go through Trainer's validating webhook, as in a real install.
      await waitUntil('ClusterTrainingRuntimes accepted', async () => {
        await Promise.all(runtimes.map((rt) => kc.apply(rt, { fieldManager: HARNESS_FIELD_MANAGER, force: true })));
        return true;
      }, { proc: trainer, timeoutMs: 30_000 });
      step('webhooks+runtimes');

      await Promise.all([
        waitUntil(`node ${nodeName} Ready`, async () => {
          const n = await kc.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/api/v1/nodes/${nodeName}`);
          return !!n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        }, { proc: kwok, timeoutMs: 60_000 }),
        waitUntil('kube-controller-manager healthz', async () => (await httpGet(`https://127.0.0.1:${kcmPort}/healthz`, ca)).status === 200, { proc: kcm, timeoutMs: 60_000 }),
        waitUntil('kube-scheduler readyz', async () => (await httpGet(`https://127.0.0.1:${schedPort}/readyz`, ca)).status === 200, { proc: scheduler, timeoutMs: 60_000 }),
        // The service-account controller runs: namespaces get their "default" ServiceAccount.
        waitUntil('default ServiceAccount', async () => {
          await kc.get('/api/v1/namespaces/default/serviceaccounts/default');
          return true;
        }, { proc: kcm, timeoutMs: 60_000 }),
      ]);
      step('kcm+scheduler+kwok');
    }

    timings['total'] = Math.round(performance.now() - started) / 1000;
    if (!quiet) {
      const parts = Object.entries(timings).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}s`);
      console.log(`[k8s-harness] stage ${stage} ready in ${timings['total']}s (${parts.join(', ')}); kubernetes ${versions.kubernetes}, trainer ${versions.trainer}, jobset ${versions.jobset}${stage === 2 ? `, kwok ${versions.kwok}` : ''}; ${server}`);
    }
    const processes = () => procs.map((p) => ({ name: p.name, pid: p.child.pid ?? -1, running: p.exitCode === undefined }));
    return { stage, kubeconfigPath, server, token, ca, nodeName, podLogsFile: stage === 2 ? podLogsFile : null, versions, client, timings, runDir, logDir, processes, stop };
  } catch (e) {
    const logs = procs.map((p) => `--- ${p.name} (${p.exitCode === undefined ? 'running' : `exited ${p.exitCode}`}):\n${logTail(p.logFile, 15)}`).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${keep ? `logs kept in ${logDir}\n` : ''}${logs}`, { cause: e });
  }
}

/** Manifests build.sh copied from the pinned modules: CRDs, webhooks (pointed at loopback), kwok stages. */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from './kube.js';

/** The env var a container sets to make kwok fail its pod with that exit code (stage 2). */
export const FAKE_EXIT_CODE_ENV = 'KFD_FAKE_EXIT_CODE';
/** The env var a container sets to keep its pod Running that long before it ends ("20s", Go duration). */
export const FAKE_RUN_DURATION_ENV = 'KFD_FAKE_RUN_DURATION';


// ---------------------------------------------------------------------------------------------
// manifests (copied by build.sh from the pinned modules)

export function readDocs(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => !!d && typeof d === 'object' && 'kind' in d);
}

/**
 * The YAML documents of a file as text, each with its apiVersion/kind/metadata.name/namespace
 * read by a line scan (enough for generated manifests; avoids parsing megabytes of CRD YAML).
 */
export function yamlDocsWithRefs(file: string): { text: string; ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'> }[] {
  const out: { text: string; ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'> }[] = [];
  for (const text of fs.readFileSync(file, 'utf8').split(/^---[ \t]*$/m)) {
    const top: Record<string, string> = {};
    const meta: Record<string, string> = {};
    let inMeta = false;
    for (const line of text.split('\n')) {
      if (/^\S/.test(line)) {
        inMeta = /^metadata:\s*$/.test(line);
        const m = /^(apiVersion|kind):\s*['"]?([^'"\s#]+)/.exec(line);
        if (m) top[m[1]!] = m[2]!;
      } else if (inMeta) {
        const m = /^  (name|namespace):\s*['"]?([^'"\s#]+)/.exec(line);
        if (m) meta[m[1]!] = m[2]!;
      }
    }
    if (!top['apiVersion'] || !top['kind'] || !meta['name']) continue;
    out.push({ text, ref: { apiVersion: top['apiVersion'], kind: top['kind'], metadata: { name: meta['name'], ...(meta['namespace'] ? { namespace: meta['namespace'] } : {}) } } });
  }
  return out;
}

export function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .map((f) => path.join(dir, f));
}

/** JSON-pointer based JSON6902 ops (add/replace/remove), enough for kustomize webhook patches. */
export function applyJson6902(doc: unknown, ops: { op: string; path: string; value?: unknown }[]): void {
  for (const { op, path: pointer, value } of ops) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`unsupported patch path ${pointer}`);
    let parent = doc as Record<string, unknown>;
    for (const k of keys) parent = parent[k] as Record<string, unknown>;
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(i, 0, value);
      else if (op === 'replace') parent[i] = value;
      else if (op === 'remove') parent.splice(i, 1);
      else throw new Error(`unsupported patch op ${op}`);
    } else if (op === 'add' || op === 'replace') parent[last] = value;
    else if (op === 'remove') delete parent[last];
    else throw new Error(`unsupported patch op ${op}`);
  }
}

/**
 * The project's webhook configurations, served at https://127.0.0.1:<port> with our CA instead
 * of an in-cluster Service, names prefixed like kustomize's namePrefix would.
 */
export function webhookConfigs(dir: string, prefix: string, port: number, caBundle: string): KubeObject[] {
  const docs = readDocs(path.join(dir, 'manifests.yaml'));
  const kustomization = path.join(dir, 'kustomization.yaml');
  if (fs.existsSync(kustomization)) {
    const k = readDocs(kustomization)[0] as unknown as { patches?: { path: string; target?: { kind?: string; name?: string } }[] } | undefined;
    for (const p of k?.patches ?? []) {
      const ops = parseAllDocuments(fs.readFileSync(path.join(dir, p.path), 'utf8'))[0]?.toJS() as { op: string; path: string; value?: unknown }[];
      for (const d of docs) {
        if ((!p.target?.kind || p.target.kind === d.kind) && (!p.target?.name || p.target.name === d.metadata.name)) applyJson6902(d, ops);
      }
    }
  }
  for (const d of docs) {
    d.metadata = { name: `${prefix}-${d.metadata.name}` };
    for (const w of (d['webhooks'] as { clientConfig: { service?: { path?: string }; url?: string; caBundle?: string } }[]) ?? []) {
      const p = w.clientConfig.service?.path ?? '/';
      w.clientConfig = { url: `https://127.0.0.1:${port}${p}`, caBundle };
    }
  }
  return docs;
}

/**
 * kwok config: upstream's fast node/pod stages, plus a failure stage keyed on FAKE_EXIT_CODE_ENV;
 * both end a pod after FAKE_RUN_DURATION_ENV when it is set (else at once). With `podLogsFile`,
 * a ClusterLogs entry makes kwok's kubelet server answer every pod's log (CRI log format) from it.
 */
export function kwokConfig(stagesDir: string, podLogsFile?: string): string {
  const envValue = `.spec.containers.[].env.[]? | select( .name == "${FAKE_EXIT_CODE_ENV}" ) | .value`;
  const runFor = { durationMilliseconds: 0, durationFrom: { jq: { expression: `.spec.containers.[].env.[]? | select( .name == "${FAKE_RUN_DURATION_ENV}" ) | .value` } } };
  const stages = yamlFiles(stagesDir).flatMap(readDocs);
  for (const s of stages) {
    if (s.metadata.name === 'pod-complete') {
      // Upstream completes every running Job pod; leave the ones that asked to fail to our stage.
      const spec = s['spec'] as { selector: { matchExpressions: unknown[] }; delay?: unknown };
      spec.selector.matchExpressions.push({ key: envValue, operator: 'DoesNotExist' });
      spec.delay = runFor;
    }
  }
  const logs = podLogsFile
    ? [{ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterLogs', metadata: { name: 'kfd-pod-logs' }, spec: { logs: [{ logsFile: podLogsFile, follow: true }] } }]
    : [];
  const fail = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'kfd-pod-fail' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      delay: runFor,
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: '.status.phase', operator: 'In', values: ['Running'] },
          { key: envValue, operator: 'Exists' },
        ],
      },
      next: {
        statusTemplate: [
          '{{ $now := Now }}',
          '{{ $code := 1 }}',
          '{{ range .spec.containers }}{{ range .env }}{{ if eq .name "' + FAKE_EXIT_CODE_ENV + '" }}{{ $code = .value }}{{ end }}{{ end }}{{ end }}',
          'containerStatuses:',
          '{{ range .spec.containers }}',
          '- image: {{ .image | Quote }}',
          '  name: {{ .name | Quote }}',
          '  ready: false',
          '  restartCount: 0',
          '  started: false',
          '  state:',
          '    terminated:',
          '      exitCode: {{ $code }}',
          '      finishedAt: {{ $now | Quote }}',
          '      reason: Error',
          '      startedAt: {{ $now | Quote }}',
          '{{ end }}',
          'phase: Failed',
          '',
        ].join('\n'),
      },
    },
  };
  return [...stages, fail, ...logs].map((d) => stringify(d)).join('---\n');
}


/**
 * A small REST client for one target, on @kubernetes/client-node's KubeConfig: every request is
 * authenticated by client-node (token, client certificate, exec plugin, OIDC auth provider) and
 * sent with its TLS agent; watches use client-node's Watch (pod logs stream over the same agent). Requests have a
 * timeout, and errors come back as KubeError with the API server's own message.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadClientNode } from './kubeconfig-targets.js';
import { FIELD_MANAGER } from './manifest-adapt.js';

export class KubeError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly reason: string,
    readonly causes: { field?: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there (is the cluster running?)',
  ENOTFOUND: 'the host name does not resolve',
  EHOSTUNREACH: 'the host is unreachable',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is not signed by the kubeconfig's certificate-authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not signed by the kubeconfig's certificate-authority",
  SELF_SIGNED_CERT_IN_CHAIN: "its certificate is not signed by the kubeconfig's certificate-authority",
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
};

/** A sentence for any error a request can end with (network, TLS, exec plugin, API status). */
export function describeKubeError(err: unknown, server: string): string {
  if (err instanceof KubeError) return err.message;
  const e = err as { code?: string; message?: string };
  const hint = e.code ? NETWORK_HINTS[e.code] : undefined;
  if (hint) return `Cannot reach ${server}: ${hint} (${e.code}).`;
  return `Cannot reach ${server}: ${e.message ?? String(err)}`;
}

/** When an OIDC id-token (a JWT) expires, in ms; null when it is not a readable JWT. */
function oidcExpiry(token: unknown): number | null {
  if (typeof token !== 'string') return null;
  try {
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Kind → REST resource, for the kinds the backend writes. */
const RESOURCES: Record<string, { group: string; plural: string; namespaced: boolean }> = {
  'trainer.kubeflow.org/v1alpha1/TrainJob': { group: 'apis/trainer.kubeflow.org/v1alpha1', plural: 'trainjobs', namespaced: true },
  'v1/ConfigMap': { group: 'api/v1', plural: 'configmaps', namespaced: true },
  'v1/Namespace': { group: 'api/v1', plural: 'namespaces', namespaced: false },
  'v1/Pod': { group: 'api/v1', plural: 'pods', namespaced: true },
  'kubeflow.org/v1beta1/Experiment': { group: 'apis/kubeflow.org/v1beta1', plural: 'experiments', namespaced: true },
};

export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export function objectPath(obj: KubeObjectRef): string {
  const r = RESOURCES[`${obj.apiVersion}/${obj.kind}`];
  if (!r) throw new Error(`no REST path known for ${obj.apiVersion} ${obj.kind}`);
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}` : '';
  return `/${r.group}${ns}/${r.plural}/${encodeURIComponent(obj.metadata.name)}`;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

export class KubeClient {
  readonly server: string;

  constructor(
    readonly kc: KubeConfig,
    private readonly defaultTimeoutMs = 15_000,
  ) {
    this.server = kc.getCurrentCluster()?.server ?? '';
  }

  /**
   * Auth headers and TLS agent for a request: exec plugins run and OIDC tokens refresh here. A
   * login that fails is a KubeError (status 0) naming the user and how it logs in, not "cannot reach".
   */
  private async authenticate(options: https.RequestOptions): Promise<void> {
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (err) {
      const user = this.kc.getCurrentUser();
      const how = user?.exec ? `exec plugin ${user.exec.command}` : user?.authProvider ? `auth-provider ${user.authProvider.name}` : 'its credentials';
      let why = String((err as Error).message ?? err).trim().replace(/\.$/, '');
      const expired = user?.authProvider?.name === 'oidc' ? oidcExpiry(user.authProvider.config?.['id-token']) : null;
      if (expired !== null && expired < Date.now()) why = `its id-token expired at ${new Date(expired).toISOString()} and could not be refreshed (${why})`;
      throw new KubeError(`Logging in as ${user?.name ?? 'the kubeconfig user'} (${how}) failed: ${why}. Log in again (e.g. re-run your cloud login), then retry.`, 0, 'LoginFailed');
    }
  }

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const options: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    await this.authenticate(options);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (body !== undefined) (options.headers as Record<string, string>)['Content-Type'] = opts.contentType ?? 'application/json';
    const transport = url.protocol === 'http:' ? http : https;
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON (a proxy's HTML error page) */
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(json as T);
          const s = json as { message?: string; reason?: string; details?: { causes?: { field?: string; message?: string }[] } } | undefined;
          const msg = s?.message ?? '';
          const what = status === 401 ? ' (the credentials were not accepted; log in again, e.g. re-run your cloud login)' : status === 403 && /forbidden: User /.test(msg) ? ' (this user lacks the permission; ask the cluster admin for a role that allows it)' : '';
          reject(new KubeError(`${method} ${url.pathname}: ${s?.message ?? (text.slice(0, 200) || res.statusMessage)}${what}`, status, s?.reason ?? String(status), s?.details?.causes ?? []));
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get<T = unknown>(path: string, query?: RequestOptions['query'], timeoutMs?: number): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** null on 404. */
  async find<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T | null> {
    try {
      return await this.get<T>(path, query);
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return null;
      throw err;
    }
  }

  /** Server-side apply (field manager kubeflow-desktop); `dryRun` asks the server to validate and admit without persisting. */
  apply<T = unknown>(obj: KubeObjectRef & Record<string, unknown>, opts: { dryRun?: boolean; force?: boolean } = {}): Promise<T> {
    return this.request<T>('PATCH', objectPath(obj), {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: opts.force ?? false, fieldValidation: 'Strict', ...(opts.dryRun ? { dryRun: 'All' } : {}) },
    });
  }

  /** Deletes with the given propagation; false when it was already gone. */
  async delete(obj: KubeObjectRef, propagationPolicy: 'Foreground' | 'Background' = 'Foreground'): Promise<boolean> {
    try {
      await this.request('DELETE', objectPath(obj), { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy } });
      return true;
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return false;
      throw err;
    }
  }

  /** Watches `path` (a list path) from `resourceVersion`; `done` is called once when it ends, with the error if any. */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (type: string, obj: unknown) => void, done: (err: unknown) => void): Promise<AbortController> {
    const { Watch } = await loadClientNode();
    return new Watch(this.kc).watch(path, { allowWatchBookmarks: true, ...query }, (type, obj) => onEvent(type, obj), done);
  }

  /**
   * Streams a container's log (timestamps on) into `onChunk` until the server ends it or
   * `signal` aborts. Resolves when the stream has ended (or was aborted); rejects with the
   * server's message when it refuses (e.g. the container has not started).
   */
  async streamLog(namespace: string, pod: string, container: string, opts: { sinceTime?: string; follow: boolean }, onChunk: (text: string) => void, signal: AbortSignal): Promise<void> {
    const url = new URL(`${this.server.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`);
    url.searchParams.set('container', container);
    url.searchParams.set('timestamps', 'true');
    if (opts.follow) url.searchParams.set('follow', 'true');
    if (opts.sinceTime) url.searchParams.set('sinceTime', opts.sinceTime);
    const options: https.RequestOptions = { method: 'GET', headers: {} };
    await this.authenticate(options);
    const transport = url.protocol === 'http:' ? http : https;
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = transport.request(url, { ...options, signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let message = text.slice(0, 300);
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? message;
            } catch {
              /* plain text */
            }
            reject(new KubeError(`log of pod ${pod}: ${message}`, status, String(status)));
          });
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (c: string) => onChunk(c));
        res.on('end', () => resolve());
        res.on('close', () => resolve());
        res.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
      });
      req.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
      req.end();
    });
  }
}

/**
 * A deliberately small Kubernetes API client over node:https (CA + bearer token), used by the
 * harness itself and by its smoke test. It speaks the real API: discovery for resource paths,
 * server-side apply (`application/apply-patch+yaml`), status subresources, and watch streams.
 * Product code talks to clusters through the engine's Kubernetes backend, not this file.
 */
import https from 'node:https';
import { stringify } from 'yaml';

export interface KubeTarget {
  server: string;
  token: string;
  /** PEM of the CA that signed the API server's certificate. */
  ca: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export class KubeError extends Error {
  retryAfterSeconds: number | undefined;
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: unknown,
  ) {
    const msg = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : String(body);
    super(`${method} ${path}: HTTP ${status}: ${msg}`);
    this.name = 'KubeError';
  }
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class KubeClient {
  private readonly agent: https.Agent;
  private readonly discovery = new Map<string, ApiResource[]>();

  constructor(readonly target: KubeTarget) {
    this.agent = new https.Agent({ ca: target.ca, keepAlive: true, maxSockets: 16 });
  }

  close(): void {
    this.agent.destroy();
  }

  private url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(path, this.target.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /**
   * One request; resolves with the parsed body, throws KubeError on a non-2xx status. HTTP 429
   * (e.g. "storage is (re)initializing" right after a CRD is established) is retried a few
   * times after its Retry-After, as client-go does.
   */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, path, opts);
      } catch (e) {
        if (!(e instanceof KubeError && e.status === 429) || attempt >= 10) throw e;
        await sleep(Math.min(1000, 100 * attempt));
      }
    }
  }

  private async requestOnce<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const url = this.url(path, opts.query);
    let payload: string | undefined;
    if (opts.body !== undefined) payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const { status, text, retryAfter } = await new Promise<{ status: number; text: string; retryAfter: string | undefined }>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.target.token}`,
            Accept: 'application/json',
            ...(payload !== undefined
              ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }
              : {}),
          },
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. /readyz): keep the text
    }
    if (status < 200 || status >= 300) {
      const err = new KubeError(status, method, url.pathname, body);
      if (retryAfter) err.retryAfterSeconds = Number(retryAfter);
      throw err;
    }
    return body as T;
  }

  get<T = KubeObject>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  /** The API resources of one group/version (`v1` or `group/version`), from discovery. */
  async resources(apiVersion: string, { refresh = false } = {}): Promise<ApiResource[]> {
    const cached = this.discovery.get(apiVersion);
    if (cached && !refresh) return cached;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.request<{ resources: ApiResource[] }>('GET', path);
    const resources = list.resources.filter((r) => !r.name.includes('/'));
    this.discovery.set(apiVersion, resources);
    return resources;
  }

  /**
   * The REST path of a kind (optionally of one object), e.g.
   * `/apis/trainer.kubeflow.org/v1alpha1/namespaces/ns/trainjobs/name`. Retries discovery for a
   * few seconds so that a just-established CRD is found.
   */
  async pathFor(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (let refresh = false; ; refresh = true) {
      try {
        const r = (await this.resources(apiVersion, { refresh })).find((x) => x.kind === kind);
        if (r) {
          const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
          const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
          return `${base}${ns}/${r.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
        }
      } catch (e) {
        if (!(e instanceof KubeError && e.status === 404)) throw e;
      }
      if (Date.now() > deadline) throw new Error(`no API resource for ${kind} in ${apiVersion}`);
      await sleep(200);
    }
  }

  pathOf(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<string> {
    return this.pathFor(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
  }

  /**
   * Server-side apply: PATCH with `application/apply-patch+yaml` and the given field manager.
   * `subresource: 'status'` applies to the status subresource.
   */
  async apply<T = KubeObject>(
    obj: KubeObject,
    { fieldManager, force = false, subresource }: { fieldManager: string; force?: boolean; subresource?: 'status' },
  ): Promise<T> {
    const path = (await this.pathOf(obj)) + (subresource ? `/${subresource}` : '');
    return this.request<T>('PATCH', path, {
      body: stringify(obj),
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager, force: force || undefined },
    });
  }

  /**
   * Server-side apply of one YAML document as text (the API server parses it: much faster than
   * a JavaScript YAML round trip for the ~1 MB CRDs). `ref` names the object for the URL.
   */
  async applyYaml<T = KubeObject>(
    yamlText: string,
    ref: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
    { fieldManager, force = false }: { fieldManager: string; force?: boolean },
  ): Promise<T> {
    return this.request<T>('PATCH', await this.pathOf(ref), {
      body: yamlText,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager, force: force || undefined },
    });
  }

  async delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, { ignoreNotFound = true } = {}): Promise<void> {
    try {
      await this.request('DELETE', await this.pathOf(obj), { body: { propagationPolicy: 'Background' } });
    } catch (e) {
      if (!(ignoreNotFound && e instanceof KubeError && e.status === 404)) throw e;
    }
  }

  /**
   * Watch a collection path (`.../trainjobs`). Calls onEvent for every event until it returns
   * true (resolves with that event's object), the signal aborts, or the timeout passes.
   */
  watch<T = KubeObject>(
    collectionPath: string,
    onEvent: (ev: WatchEvent<T>) => boolean | void,
    opts: { resourceVersion?: string; fieldSelector?: string; labelSelector?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<T | undefined> {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const url = this.url(collectionPath, {
      watch: 1,
      allowWatchBookmarks: false,
      resourceVersion: opts.resourceVersion,
      fieldSelector: opts.fieldSelector,
      labelSelector: opts.labelSelector,
      timeoutSeconds: Math.ceil(timeoutMs / 1000) + 5,
    });
    return new Promise<T | undefined>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, value?: T) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        req.destroy();
        if (err) reject(err);
        else resolve(value);
      };
      const timer = setTimeout(() => finish(new Error(`watch ${url.pathname}: no matching event in ${timeoutMs} ms`)), timeoutMs);
      const onAbort = () => finish(null);
      opts.signal?.addEventListener('abort', onAbort);
      const req = https.request(url, { method: 'GET', agent: this.agent, headers: { Authorization: `Bearer ${this.target.token}`, Accept: 'application/json' } }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish(new KubeError(res.statusCode ?? 0, 'WATCH', url.pathname, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line || done) continue;
            let ev: WatchEvent<T>;
            try {
              ev = JSON.parse(line) as WatchEvent<T>;
            } catch (e) {
              finish(e as Error);
              return;
            }
            if (ev.type === 'ERROR') {
              finish(new KubeError(0, 'WATCH', url.pathname, ev.object));
              return;
            }
            try {
              if (onEvent(ev) === true) finish(null, ev.object);
            } catch (e) {
              finish(e as Error);
            }
          }
        });
        res.on('end', () => finish(new Error(`watch ${url.pathname}: stream ended before a matching event`)));
        res.on('error', (e) => finish(e));
      });
      req.on('error', (e) => finish(e));
      req.end();
    });
  }

  /**
   * Wait until one object satisfies `predicate`: lists it (by name), then watches from that
   * resourceVersion, so no transition is missed.
   */
  async waitFor<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    predicate: (obj: T) => boolean,
    { timeoutMs = 60_000, describe = 'condition' }: { timeoutMs?: number; describe?: string } = {},
  ): Promise<T> {
    const collection = await this.pathFor(apiVersion, kind, namespace);
    const fieldSelector = `metadata.name=${name}`;
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      const list = await this.get<{ metadata: { resourceVersion: string }; items: T[] }>(collection, { fieldSelector });
      last = list.items[0] ?? last;
      if (list.items[0] && predicate(list.items[0])) return list.items[0];
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        const hit = await this.watch<T>(
          collection,
          (ev) => {
            if (ev.type === 'ADDED' || ev.type === 'MODIFIED') last = ev.object;
            return (ev.type === 'ADDED' || ev.type === 'MODIFIED') && predicate(ev.object);
          },
          { resourceVersion: list.metadata.resourceVersion, fieldSelector, timeoutMs: remaining },
        );
        if (hit) return hit;
      } catch (e) {
        // 410 Gone / stream closed: list again; a timeout ends the loop below.
        if (Date.now() >= deadline) break;
        if (!(e instanceof KubeError) && !String(e).includes('stream ended')) throw e;
      }
    }
    throw new Error(`${kind} ${namespace ? `${namespace}/` : ''}${name}: ${describe} not reached in ${timeoutMs} ms; last seen: ${JSON.stringify(last?.['status'] ?? last ?? null)}`);
  }
}

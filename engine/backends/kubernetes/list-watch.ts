/**
 * A list + watch of one kind of object (a tiny informer): lists, then watches from the list's
 * resourceVersion; when the watch ends (server timeout, network, 410 Gone) it lists again and
 * resumes, so no change is missed. `onChange` runs after every applied change.
 */
import type { KubeClient } from './kube-client.js';
import type { ObjectMeta } from './kube-types.js';

export interface ListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Called after each change (and after each list). */
  onChange: () => void;
  /** Called when a list or watch fails (the ListWatch retries by itself). */
  onError?: (err: unknown) => void;
  /** Keep only objects this accepts (e.g. events about one job out of a namespace's). */
  keep?: (obj: never) => boolean;
}

export class ListWatch<T extends { metadata: ObjectMeta }> {
  private readonly objects = new Map<string, T>();
  private controller: AbortController | null = null;
  private stopped = false;
  private retryMs = 500;
  private timer: NodeJS.Timeout | null = null;
  /** Set once the first list answered. */
  synced = false;

  constructor(
    private readonly client: KubeClient,
    private readonly path: string,
    private readonly opts: ListWatchOptions,
  ) {}

  items(): T[] {
    return [...this.objects.values()];
  }

  /** Resolves after the first list, or after its first failure (then it keeps retrying: see `synced`). */
  async start(): Promise<void> {
    try {
      await this.list();
    } catch (err) {
      this.opts.onError?.(err);
      this.again(undefined);
    }
  }

  private kept(o: T): boolean {
    return !this.opts.keep || (this.opts.keep as (obj: T) => boolean)(o);
  }

  private key(o: T): string {
    return o.metadata.uid ?? `${o.metadata.namespace}/${o.metadata.name}`;
  }

  private async list(): Promise<void> {
    const query = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    const list = await this.client.get<{ items?: T[]; metadata?: { resourceVersion?: string } }>(this.path, query);
    if (this.stopped) return;
    this.objects.clear();
    for (const o of list.items ?? []) if (this.kept(o)) this.objects.set(this.key(o), o);
    this.synced = true;
    this.retryMs = 500;
    this.opts.onChange();
    await this.watch(list.metadata?.resourceVersion);
  }

  private async watch(resourceVersion: string | undefined): Promise<void> {
    if (this.stopped) return;
    let rv = resourceVersion;
    let relist = false;
    const query = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, resourceVersion: rv, timeoutSeconds: 300 };
    try {
      this.controller = await this.client.watch(
        this.path,
        query,
        (type, raw) => {
          const obj = raw as T & { code?: number };
          if (type === 'ERROR') {
            relist = true; // 410 Gone: our resourceVersion is too old
            return;
          }
          if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
          if (type === 'BOOKMARK') return;
          if (type === 'DELETED') this.objects.delete(this.key(obj));
          else if (this.kept(obj)) this.objects.set(this.key(obj), obj);
          else return;
          this.opts.onChange();
        },
        (err) => {
          if (this.stopped) return;
          if (err) this.opts.onError?.(err);
          this.again(relist || Boolean(err) ? undefined : rv);
        },
      );
    } catch (err) {
      if (this.stopped) return;
      this.opts.onError?.(err);
      this.again(undefined);
    }
  }

  /** Resume the watch from `rv`, or list again (after an error, with back-off). */
  private again(rv: string | undefined): void {
    if (this.stopped) return;
    const delay = rv ? 100 : this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      const next = rv ? this.watch(rv) : this.list();
      next.catch((err: unknown) => {
        this.opts.onError?.(err);
        this.again(undefined);
      });
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
  }
}

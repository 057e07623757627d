/**
 * The known install races: right after Trainer's or JobSet's manifests are applied, their
 * webhooks are registered before the controller serves them ("failed calling webhook ...
 * connection refused / no endpoints available"), and custom resources can arrive before their
 * CRD is served ("no matches for kind"). Both heal within seconds, so such applies are retried.
 */
const RACE_PATTERNS = [
  /failed calling webhook/i,
  /no endpoints available for service/i,
  /connect: connection refused/i,
  /ensure CRDs are installed first/i,
  /no matches for kind/i,
  /the server could not find the requested resource/i,
  /context deadline exceeded/i,
];

export function isInstallRace(stderr: string): boolean {
  return RACE_PATTERNS.some((re) => re.test(stderr));
}

export interface RetryOptions {
  /** Give up after this long in total. */
  deadlineMs: number;
  delayMs: number;
  signal?: AbortSignal | undefined;
  onRetry?: (attempt: number, error: Error) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn`; retries while it fails with a race (stderr in the error) and time is left. */
export async function retryInstallRace<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;
  const start = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as Error & { stderr?: string; cancelled?: boolean };
      const text = `${e.stderr ?? ''}\n${e.message}`;
      if (e.cancelled || opts.signal?.aborted || !isInstallRace(text) || now() - start + opts.delayMs > opts.deadlineMs) throw err;
      opts.onRetry?.(attempt, e);
      await wait(opts.delayMs, opts.signal);
    }
  }
}

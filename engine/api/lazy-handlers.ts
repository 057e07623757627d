/**
 * Handlers of one API area whose code is loaded on the area's first call. The engine wires every
 * area at start, but a command that lists jobs never loads Docker's, Jupyter's or Kubernetes'
 * clients: `kfd` answers at once, and an idle app holds only what it has used.
 */
import type { Handlers } from './dispatch.js';
import type { MethodName } from './contract.js';

/** `make` once, on the first call; a failure is not kept (the next call tries again). */
export function once<T>(make: () => Promise<T>): { (): Promise<T>; made(): Promise<T> | null } {
  let made: Promise<T> | null = null;
  const get = () => {
    made ??= make().catch((err: unknown) => {
      made = null;
      throw err;
    });
    return made;
  };
  return Object.assign(get, { made: () => made });
}

/** Every method of `area` (a schemas/<area>.ts method table), answered by `load()`'s handlers. */
export function lazyHandlers<K extends MethodName>(area: Record<K, unknown>, load: () => Promise<Pick<Handlers, K>>): Pick<Handlers, K> {
  const loaded = once(load);
  const out = {} as Record<K, (input: never) => unknown>;
  for (const method of Object.keys(area) as K[]) {
    out[method] = async (input: never) => ((await loaded())[method] as (i: never) => unknown)(input);
  }
  return out as unknown as Pick<Handlers, K>;
}

/** A value React can watch with `useSyncExternalStore(v.subscribe, v.get)`. */
export interface Observable<T> {
  get(): T;
  subscribe(onChange: () => void): () => void;
}

export interface Settable<T> extends Observable<T> {
  set(next: T): void;
}

export function observable<T>(initial: T): Settable<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => {
        listeners.delete(onChange);
      };
    },
  };
}

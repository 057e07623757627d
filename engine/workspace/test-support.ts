/** Temp folders for workspace tests: a workspace, and a sibling "outside" it for escape attempts. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempWorkspace {
  /** Real path of the parent holding both folders. */
  base: string;
  root: string;
  outside: string;
  write(rel: string, content: string | Uint8Array): string;
  cleanup(): void;
}

export function tempWorkspace(): TempWorkspace {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'kfd-ws-test-')));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'not yours\n');
  return {
    base,
    root,
    outside,
    write(rel, content) {
      const abs = path.join(root, ...rel.split('/'));
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return abs;
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Polls until `fn` returns something truthy. */
export async function eventually<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

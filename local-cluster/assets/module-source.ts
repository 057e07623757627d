/**
 * Go module zips without needing Go: first the local Go module cache (a developer machine, or
 * one that ran the k8s harness build), then each proxy in GOPROXY. GOPROXY and GOMODCACHE come
 * from the environment, else from `go env` when Go is installed; no proxy host is written here.
 * Every zip is checked against its pinned go.sum hash (`h1:`, Go's dirhash of the zip).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { runTool } from '../exec.js';
import { findOnPath } from '../../engine/doctor/probe.js';
import type { ModulePin } from './pins.js';

export interface GoEnv {
  modCache: string | null;
  proxies: string[];
}

/** Go's module path escaping: an upper-case letter becomes '!' + its lower-case form. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** GOPROXY's list (',' or '|' separated) without the 'direct' and 'off' keywords. */
export function proxyList(goproxy: string): string[] {
  return goproxy
    .split(/[,|]/)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s && s !== 'direct' && s !== 'off');
}

export async function readGoEnv(env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<GoEnv> {
  let modCache = env.GOMODCACHE || null;
  let goproxy = env.GOPROXY ?? null;
  if ((!modCache || goproxy === null) && (await findOnPath('go', env))) {
    try {
      const r = await runTool('go', ['env', '-json', 'GOMODCACHE', 'GOPROXY'], { env, signal, timeoutMs: 20_000 });
      const v = JSON.parse(r.stdout) as { GOMODCACHE?: string; GOPROXY?: string };
      modCache ??= v.GOMODCACHE || null;
      goproxy ??= v.GOPROXY ?? null;
    } catch {
      // fall through to the defaults below
    }
  }
  modCache ??= path.join(env.GOPATH?.split(path.delimiter)[0] || path.join(env.HOME || os.homedir(), 'go'), 'pkg', 'mod');
  return { modCache, proxies: proxyList(goproxy ?? '') };
}

/** go.sum's h1 hash: sha256 over "sha256hex  name\n" lines of every file, sorted by name. */
export async function h1OfZip(zip: Buffer): Promise<string> {
  const files = new Map<string, string>();
  await forEachEntry(zip, async (name, read) => {
    files.set(name, createHash('sha256').update(await read()).digest('hex'));
  });
  const summary = [...files.keys()].sort().map((n) => `${files.get(n)}  ${n}\n`).join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

async function forEachEntry(zip: Buffer, fn: (name: string, read: () => Promise<Buffer>) => Promise<void>): Promise<void> {
  const z = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: true });
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        z.once('entry', resolve);
        z.once('end', () => resolve(null));
        z.once('error', reject);
        z.readEntry();
      });
      z.removeAllListeners('entry');
      z.removeAllListeners('end');
      z.removeAllListeners('error');
      if (!entry) return;
      if (entry.fileName.endsWith('/')) continue;
      await fn(entry.fileName, async () => {
        const stream = await z.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        return Buffer.concat(chunks);
      });
    }
  } finally {
    z.close();
  }
}

/** Writes the files under `<module>@<version>/<subdir>/` into destDir (same relative layout). */
export async function extractSubtree(zip: Buffer, pin: ModulePin, subdir: string, destDir: string): Promise<number> {
  const prefix = `${pin.module}@${pin.version}/${subdir.replace(/\/+$/, '')}/`;
  let count = 0;
  await forEachEntry(zip, async (name, read) => {
    if (!name.startsWith(prefix)) return;
    const rel = name.slice(prefix.length);
    if (rel.split('/').includes('..')) return; // a zip entry must never leave destDir
    const out = path.join(destDir, rel);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, await read());
    count++;
  });
  return count;
}

export interface FetchedModule {
  zip: Buffer;
  /** "Go module cache (<file>)" or "GOPROXY <url>". */
  source: string;
  h1: string;
}

export class ModuleUnavailableError extends Error {
  constructor(
    readonly pin: ModulePin,
    readonly tried: string[],
  ) {
    super(
      `Cannot get ${pin.module}@${pin.version}: ${tried.length ? tried.join('; ') : 'no Go module cache entry and GOPROXY is not set'}.`,
    );
    this.name = 'ModuleUnavailableError';
  }
}

export async function fetchModule(pin: ModulePin, goEnv: GoEnv, opts: { signal?: AbortSignal; fetch?: typeof fetch } = {}): Promise<FetchedModule> {
  const rel = `${escapeModulePath(pin.module)}/@v/${pin.version}.zip`;
  const tried: string[] = [];
  const verify = async (zip: Buffer, source: string): Promise<FetchedModule | null> => {
    const h1 = await h1OfZip(zip);
    if (pin.h1 && h1 !== pin.h1) {
      tried.push(`${source} has hash ${h1}, expected ${pin.h1} (refused)`);
      return null;
    }
    return { zip, source, h1 };
  };
  if (goEnv.modCache) {
    const file = path.join(goEnv.modCache, 'cache', 'download', rel);
    const zip = await readFile(file).catch(() => null);
    if (zip) {
      const ok = await verify(zip, `Go module cache (${file})`);
      if (ok) return ok;
    } else tried.push(`not in the Go module cache (${file})`);
  }
  const doFetch = opts.fetch ?? fetch;
  for (const proxy of goEnv.proxies) {
    const url = `${proxy}/${rel}`;
    try {
      const res = await doFetch(url, { signal: opts.signal ?? null });
      if (!res.ok) {
        tried.push(`GOPROXY ${proxy} answered ${res.status}`);
        continue;
      }
      const ok = await verify(Buffer.from(await res.arrayBuffer()), `GOPROXY ${proxy}`);
      if (ok) return ok;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      tried.push(`GOPROXY ${proxy}: ${(e as Error).message}`);
    }
  }
  if (goEnv.proxies.length === 0) tried.push('GOPROXY is not set (set it, or install Go so `go env GOPROXY` answers)');
  throw new ModuleUnavailableError(pin, tried);
}

/**
 * Finds the job supervisor as one plain .mjs file Node can run: the packaged app cannot run .ts.
 * `scripts/build-runtime.mjs` writes dist/runtime/job-supervisor.mjs with a meta file of its
 * inputs' hashes; when those still match the sources (or there are no sources: a packaged app)
 * that file is used. Otherwise (dev, tests) esbuild bundles it in memory and the result is cached
 * in `<tmpdir>/kfd-runtime-<hash>/`, keyed by content.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPERVISOR_FILE } from './job-files.js';

export const SUPERVISOR_SOURCE = 'engine/backends/local-process/job-supervisor.ts';
export const PREBUILT_DIR = 'dist/runtime';
export const PREBUILT_META = 'job-supervisor.meta.json';

/** Must match scripts/build-runtime.mjs. */
const BUILD_OPTIONS = { bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', logLevel: 'silent' } as const;

export interface PrebuiltMeta {
  /** Input path relative to the app root → sha256 of its content when the bundle was built. */
  inputs: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The directory holding package.json, found upwards from this module (or from the bundle that contains it). */
export function findAppRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** True when the prebuilt supervisor exists and was built from the sources as they are now. */
export function prebuiltIsCurrent(root: string): boolean {
  const out = path.join(root, PREBUILT_DIR, SUPERVISOR_FILE);
  if (!fs.existsSync(out)) return false;
  if (!fs.existsSync(path.join(root, SUPERVISOR_SOURCE))) return true; // packaged: no sources to compare with
  let meta: PrebuiltMeta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(root, PREBUILT_DIR, PREBUILT_META), 'utf8')) as PrebuiltMeta;
  } catch {
    return false;
  }
  return Object.entries(meta.inputs).every(([rel, hash]) => {
    try {
      return sha256(fs.readFileSync(path.join(root, rel))) === hash;
    } catch {
      return false;
    }
  });
}

const cache = new Map<string, Promise<string>>();

/** Absolute path of a runnable job-supervisor.mjs (bundled at most once per process). */
export function supervisorScript(root = findAppRoot()): Promise<string> {
  let found = cache.get(root);
  if (!found) {
    found = locate(root);
    cache.set(root, found);
    found.catch(() => cache.delete(root));
  }
  return found;
}

async function locate(root: string): Promise<string> {
  if (prebuiltIsCurrent(root)) return path.join(root, PREBUILT_DIR, SUPERVISOR_FILE);
  const source = path.join(root, SUPERVISOR_SOURCE);
  if (!fs.existsSync(source)) throw new Error(`the job supervisor is missing: neither ${path.join(root, PREBUILT_DIR, SUPERVISOR_FILE)} nor ${source} exists`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...BUILD_OPTIONS, entryPoints: [source], absWorkingDir: root, write: false });
  const code = result.outputFiles[0]!.text;
  return writeCached(`kfd-runtime-${sha256(code).slice(0, 16)}`, code);
}

/**
 * The cache lives in a shared tmp dir and its name is predictable, so only a directory we own
 * and nobody else can write is trusted, and the file's content is checked before use.
 */
export function writeCached(name: string, code: string): string {
  let dir = path.join(os.tmpdir(), name);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  }
  const file = path.join(dir, SUPERVISOR_FILE);
  try {
    if (fs.readFileSync(file, 'utf8') === code) return file;
  } catch {
    // not there yet
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

/** How to start the supervisor: this very runtime, as plain Node (Electron needs ELECTRON_RUN_AS_NODE). */
export function nodeCommand(execPath = process.execPath, versions: NodeJS.ProcessVersions = process.versions): { file: string; env: Record<string, string> } {
  return { file: execPath, env: versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

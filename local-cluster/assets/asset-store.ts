/**
 * What `kfd cluster prepare` (or a bundle import) left on this machine, under
 * `<dataDir>/cluster-assets/`: the rendered add-on manifests and `assets.json`, which records
 * their sha256, where each module came from (with its h1 hash) and every image with its ID.
 * `checkAssets` says which asset is missing or damaged, with the fix.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFESTS = ['jobset', 'trainer', 'runtimes', 'device-plugin'] as const;
export type ManifestId = (typeof MANIFESTS)[number];
export type ImageRole = 'node' | 'jobset' | 'trainer' | 'runtime' | 'device-plugin';

const assetsFile = z.object({
  version: z.literal(1),
  preparedAt: z.number(),
  kindVersion: z.string(),
  nodeImage: z.string(),
  modules: z.array(z.object({ id: z.string(), module: z.string(), version: z.string(), h1: z.string(), source: z.string() })),
  manifests: z.record(z.string(), z.object({ file: z.string(), sha256: z.string() })),
  images: z.array(z.object({ ref: z.string(), role: z.enum(['node', 'jobset', 'trainer', 'runtime', 'device-plugin']), id: z.string().nullable(), error: z.string().nullable() })),
  /** Parts prepare could not get, with the reason (e.g. the device plugin on a proxy without it). */
  problems: z.array(z.string()),
});
export type AssetsRecord = z.infer<typeof assetsFile>;

export function assetsDir(dataDir: string): string {
  return path.join(dataDir, 'cluster-assets');
}

export function manifestFile(dataDir: string, id: ManifestId): string {
  return path.join(assetsDir(dataDir), 'manifests', `${id}.yaml`);
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readAssets(dataDir: string): AssetsRecord | null {
  try {
    const parsed = assetsFile.safeParse(JSON.parse(readFileSync(path.join(assetsDir(dataDir), 'assets.json'), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The node image prepare (or a bundle import) recorded, when it was prepared for this kind
 * release: a node image is tied to the kind release it was made for.
 */
export function preparedNodeImage(record: AssetsRecord | null, kindVersion: string): string | undefined {
  if (!record) return undefined;
  const v = (s: string) => /\bv?(\d+\.\d+\.\d+)\b/.exec(s)?.[1];
  return v(record.kindVersion) === v(kindVersion) ? record.nodeImage : undefined;
}

/** Atomic, like the cluster record: a killed prepare never leaves half a file. */
export function writeAssets(dataDir: string, record: AssetsRecord): void {
  mkdirSync(assetsDir(dataDir), { recursive: true });
  const file = path.join(assetsDir(dataDir), 'assets.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(assetsFile.parse(record), null, 2));
  renameSync(`${file}.tmp`, file);
}

export function writeManifest(dataDir: string, id: ManifestId, text: string): { file: string; sha256: string } {
  const file = manifestFile(dataDir, id);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return { file: path.relative(assetsDir(dataDir), file), sha256: sha256(text) };
}

export interface MissingAsset {
  asset: string;
  detail: string;
  fix: string;
}

export const PREPARE_FIX = 'Run `kfd cluster prepare` once while online, or `kfd cluster bundle import <file>` with a bundle from a machine that did';

/** The manifest's text after checking it is the one prepare recorded. */
export function readManifest(dataDir: string, id: ManifestId, record: AssetsRecord | null = readAssets(dataDir)): { text: string } | { missing: MissingAsset } {
  const entry = record?.manifests[id];
  if (!record || !entry) return { missing: { asset: `${id} manifests`, detail: `The rendered ${id} manifests are not prepared on this machine.`, fix: PREPARE_FIX } };
  const file = path.join(assetsDir(dataDir), entry.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { missing: { asset: `${id} manifests`, detail: `${file} is missing.`, fix: PREPARE_FIX } };
  }
  if (sha256(text) !== entry.sha256) {
    return { missing: { asset: `${id} manifests`, detail: `${file} was changed since it was prepared (sha256 differs).`, fix: PREPARE_FIX } };
  }
  return { text };
}

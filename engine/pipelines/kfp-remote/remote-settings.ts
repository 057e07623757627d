/**
 * Where a KFP installation is: its endpoint and namespace (one JSON row `pipelines.kfp` in the
 * settings table; neither is a credential) and its bearer token, which never goes to SQLite: the
 * environment variable KFD_KFP_TOKEN wins, else `<data dir>/secrets/kfp-token` (mode 0600, in a
 * 0700 folder), written only through `pipelines.remote.configure`.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';

const KEY = 'pipelines.kfp';
export const TOKEN_ENV = 'KFD_KFP_TOKEN';

const prefs = z.object({ endpoint: z.string().default(''), namespace: z.string().default('') });
export type KfpRemotePrefs = z.infer<typeof prefs>;

export function tokenFile(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'kfp-token');
}

export function readRemotePrefs(db: Database.Database): KfpRemotePrefs {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  try {
    return prefs.parse(row ? JSON.parse(row.value) : {});
  } catch {
    return { endpoint: '', namespace: '' };
  }
}

export function writeRemotePrefs(db: Database.Database, next: KfpRemotePrefs): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(next));
}

export async function readToken(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ token: string | null; source: 'env' | 'file' | null }> {
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const text = await readFile(tokenFile(dataDir), 'utf8').catch(() => null);
  return text?.trim() ? { token: text.trim(), source: 'file' } : { token: null, source: null };
}

/** Writes (or with an empty token removes) the token file, readable by this user only. */
export async function writeToken(dataDir: string, token: string): Promise<void> {
  const file = tokenFile(dataDir);
  if (!token.trim()) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await chmod(path.dirname(file), 0o700);
  await writeFile(file, `${token.trim()}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

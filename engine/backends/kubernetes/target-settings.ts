/**
 * Per-target choices the user made: the namespace jobs go to and the registry workspace images
 * are pushed to. One JSON row (`kubernetes.targets`) in the settings table, beside the app's
 * settings (readSettings ignores keys it does not know). Neither is a credential.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';

const KEY = 'kubernetes.targets';

const targetPrefs = z.record(z.string(), z.object({ namespace: z.string().optional(), imageRegistry: z.string().optional() }));
export type TargetPrefs = z.infer<typeof targetPrefs>;

export function readTargetPrefs(db: Database.Database): TargetPrefs {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = targetPrefs.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function updateTargetPrefs(db: Database.Database, targetId: string, patch: { namespace?: string; imageRegistry?: string | null }): TargetPrefs {
  return db.transaction(() => {
    const all = readTargetPrefs(db);
    const next = { ...(all[targetId] ?? {}) };
    if (patch.namespace !== undefined) next.namespace = patch.namespace;
    if (patch.imageRegistry === null) delete next.imageRegistry;
    else if (patch.imageRegistry !== undefined) next.imageRegistry = patch.imageRegistry;
    all[targetId] = next;
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(all));
    return all;
  })();
}

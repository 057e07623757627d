/**
 * Recently opened workspaces, newest first, kept as one JSON value in the `settings` table under
 * its own key (no migration needed; readSettings ignores keys it does not know).
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';

export const RECENT_KEY = 'workspace.recent';
export const MAX_RECENT = 12;

const stored = z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.number() }));
export type StoredRecent = z.infer<typeof stored>[number];

export function readRecent(db: Database.Database): StoredRecent[] {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(RECENT_KEY) as { value: string } | undefined;
  if (!row) return [];
  try {
    const parsed = stored.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : []; // a damaged value starts the list afresh
  } catch {
    return [];
  }
}

function write(db: Database.Database, list: StoredRecent[]): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    RECENT_KEY,
    JSON.stringify(list),
  );
}

export function addRecent(db: Database.Database, entry: StoredRecent): StoredRecent[] {
  return db.transaction(() => {
    const next = [entry, ...readRecent(db).filter((r) => r.path !== entry.path)].slice(0, MAX_RECENT);
    write(db, next);
    return next;
  })();
}

export function removeRecent(db: Database.Database, folder: string): StoredRecent[] {
  return db.transaction(() => {
    const next = readRecent(db).filter((r) => r.path !== folder);
    write(db, next);
    return next;
  })();
}

/**
 * App settings: one row per key in `settings`, JSON values. Reads are forgiving (a value an
 * older or buggy version stored falls back to its default, per key) so a bad row can never
 * stop the app; writes are strict so nothing new goes bad.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { ApiError } from '../api/api-error.js';
import { settings as settingsSchema, type Settings } from '../api/contract.js';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  pythonPath: '',
  containerSocket: '',
});

const patchSchema = settingsSchema.partial().strict();
type SettingKey = keyof Settings;
const keys = Object.keys(settingsSchema.shape) as SettingKey[];

export function readSettings(db: Database.Database): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of keys) {
    const raw = stored.get(key);
    if (raw === undefined) continue;
    const parsed = settingsSchema.shape[key].safeParse(parseJson(raw));
    if (parsed.success) result[key] = parsed.data;
  }
  return result as Settings;
}

/** Validates the whole patch first, then writes it in one transaction: all keys or none. */
export function writeSettings(db: Database.Database, patch: Partial<Settings>): Settings {
  const checked = patchSchema.safeParse(patch);
  if (!checked.success) {
    throw new ApiError('bad_request', `Invalid settings: ${describeIssues(checked.error)}`, checked.error.issues);
  }
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return db.transaction(() => {
    for (const [key, value] of Object.entries(checked.data)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value));
    }
    return readSettings(db);
  })();
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // fails the schema below, so the default wins
  }
}

/** Names the field in every issue, e.g. "field `theme`: Invalid option: expected one of ...". */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
      const where = issue.path.length ? `field \`${issue.path.join('.')}\`` : 'input';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

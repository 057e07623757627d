/**
 * Schema migrations, tracked by `PRAGMA user_version` (0 = empty file, N = migration N applied).
 *
 * The migrations themselves are in ./migrations/, by area. Adding one: append it with the next
 * version and never edit a shipped one (users' files already ran it). `up` must be synchronous:
 * a better-sqlite3 transaction cannot span an await. Conventions they follow:
 * - Tables are STRICT, so a wrong type from a later repo fails loudly instead of being stored.
 * - Times are INTEGER milliseconds since the epoch (`Date.now()`): sortable, no parsing.
 * - Enum-like columns (status, backend, kind) have no CHECK list: SQLite cannot alter a CHECK
 *   without rebuilding the table, so the zod schemas in engine/api own the allowed values.
 * - No secrets (tokens, passwords) are ever stored; URLs are stored without their token.
 */
import type Database from 'better-sqlite3';
import { StoreError, newerSchemaError } from './store-error.js';
import { JOB_MIGRATIONS } from './migrations/jobs.js';
import { ORCHESTRATOR_MIGRATIONS } from './migrations/orchestrators.js';
import { SCALE_MIGRATIONS } from './migrations/scale.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [...JOB_MIGRATIONS, ...ORCHESTRATOR_MIGRATIONS, ...SCALE_MIGRATIONS];

/** Versions must be 1..N with no gaps or duplicates, or user_version would lie. */
export function assertContiguous(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `Migrations must be numbered 1..${list.length} in order; position ${i + 1} has version ${m.version} (${m.description}).`,
      );
    }
  });
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `list.length` and returns the resulting version. Each migration and
 * its user_version bump commit together, so a failure leaves the previous version intact.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  assertContiguous(list);
  const latest = list.length;
  const current = userVersion(db);
  if (current > latest) throw newerSchemaError(db.name, current, latest);
  if (current === latest) return current;

  // SQLite's recipe for schema changes: foreign keys off (the pragma is ignored inside a
  // transaction, hence out here) so table rebuilds do not cascade, then foreign_key_check
  // before each commit so a migration cannot leave dangling references.
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of list.slice(current)) {
      const step = db.transaction(() => {
        // Another process may have migrated between our read and this (immediate) lock.
        if (userVersion(db) >= m.version) return;
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`leaves ${broken.length} broken foreign key reference(s)`);
        db.pragma(`user_version = ${m.version}`);
      });
      try {
        step.immediate();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new StoreError(
          'migration-failed',
          db.name,
          `Upgrading the database ${db.name} to schema version ${m.version} (${m.description}) failed: ${why}. ` +
            `It was left at version ${userVersion(db)}; report this as a bug.`,
          { cause: err },
        );
      }
    }
  } finally {
    if (fkWasOn) db.pragma('foreign_keys = ON');
  }
  return userVersion(db);
}

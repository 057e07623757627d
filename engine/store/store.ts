/**
 * The app's SQLite database: one file in the data dir, WAL so readers never wait for the writer.
 * Opening never destroys user data: a foreign file or a newer schema is refused, not overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, migrations as allMigrations, userVersion, type Migration } from './migrations.js';
import { cannotOpenError, newerSchemaError, notADatabaseError } from './store-error.js';

export const DATABASE_FILE = 'kubeflow-desktop.db';

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly schemaVersion: number;
  close(): void;
}

export interface OpenStoreOptions {
  /** Defaults to all known migrations; tests pass a prefix to build an older schema. */
  migrations?: Migration[];
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const list = options.migrations ?? allMigrations;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DATABASE_FILE);
  assertSqliteOrAbsent(file);

  let db: Database.Database;
  try {
    // `npm start` under Electron points this at a copy of the addon built for Electron's ABI
    // (scripts/electron-native.mjs); the Node build in node_modules stays for the CLI and tests.
    const nativeBinding = process.env.KFD_SQLITE_BINDING;
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    throw cannotOpenError(file, err);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Read before any write: this is where a damaged file shows up, and a newer schema must be
    // refused before switching to WAL (which rewrites the header).
    let found: number;
    try {
      found = userVersion(db);
    } catch (err) {
      throw notADatabaseError(file, errorText(err), err);
    }
    if (found > list.length) throw newerSchemaError(file, found, list.length);

    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // NORMAL is durable across app crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    const schemaVersion = migrate(db, list);
    return {
      db,
      path: file,
      schemaVersion,
      close() {
        if (!db.open) return;
        try {
          db.pragma('optimize'); // SQLite's advice for long-lived connections, run at close
        } catch {
          // best effort: closing must not fail because statistics could not be refreshed
        }
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * SQLite only notices a foreign file on first read, and some versions of that path can still
 * create -wal/-shm files next to it; checking the header first keeps the user's file untouched.
 * An empty file is fine: SQLite treats it as a new database.
 */
function assertSqliteOrAbsent(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw cannotOpenError(file, err);
  }
  try {
    if (fs.fstatSync(fd).isDirectory()) throw notADatabaseError(file, 'it is a directory');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n > 0 && !head.subarray(0, n).equals(SQLITE_HEADER.subarray(0, n))) {
      throw notADatabaseError(file, 'it is not an SQLite file');
    }
    if (n > 0 && n < SQLITE_HEADER.length) throw notADatabaseError(file, 'it is truncated');
  } finally {
    fs.closeSync(fd);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

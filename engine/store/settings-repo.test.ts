import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.js';
import type { Settings } from '../api/contract.js';
import { DEFAULT_SETTINGS, readSettings, writeSettings } from './settings-repo.js';
import { openStore, type Store } from './store.js';

let dir: string;
let store: Store;

const storeRaw = (key: string, json: string): void => {
  store.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, json);
};
const rowCount = (): number => (store.db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-settings-'));
  store = openStore(dir);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings repo', () => {
  it('returns the defaults for a fresh database', () => {
    expect(readSettings(store.db)).toEqual({ theme: 'system', pythonPath: '', containerSocket: '' });
    expect(DEFAULT_SETTINGS).toEqual(readSettings(store.db));
  });

  it('round-trips a patch, merges it with earlier writes and survives a re-open', () => {
    expect(writeSettings(store.db, { theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    const merged = writeSettings(store.db, { pythonPath: '/usr/bin/python3' });
    expect(merged).toEqual({ theme: 'dark', pythonPath: '/usr/bin/python3', containerSocket: '' });
    expect(writeSettings(store.db, {})).toEqual(merged);

    store.close();
    store = openStore(dir);
    expect(readSettings(store.db)).toEqual(merged);
  });

  it('ignores a stored value that no longer validates, per key', () => {
    writeSettings(store.db, { pythonPath: '/opt/py/bin/python', containerSocket: '/run/docker.sock' });
    storeRaw('theme', JSON.stringify('solarized')); // e.g. written by a build that had more themes
    storeRaw('containerSocket', '42'); // valid JSON, wrong type
    storeRaw('retiredSetting', 'true'); // keys the schema no longer has are ignored

    expect(readSettings(store.db)).toEqual({ theme: 'system', pythonPath: '/opt/py/bin/python', containerSocket: '' });
    // A fresh write replaces the bad value.
    expect(writeSettings(store.db, { theme: 'light' }).theme).toBe('light');
  });

  it('rejects an invalid patch, names the field and writes nothing', () => {
    const patch = { pythonPath: '/usr/bin/python3', theme: 'purple' } as unknown as Partial<Settings>;
    let error: unknown;
    try {
      writeSettings(store.db, patch);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('bad_request');
    expect((error as Error).message).toMatch(/field `theme`/);
    expect(rowCount()).toBe(0);
    expect(readSettings(store.db)).toEqual(DEFAULT_SETTINGS);
  });

  it('rejects unknown fields by name', () => {
    const patch = { colour: 'blue' } as unknown as Partial<Settings>;
    expect(() => writeSettings(store.db, patch)).toThrow(/unknown field\(s\) `colour`/);
    expect(rowCount()).toBe(0);
  });
});

/**
 * The models area's settings: the Model Registry endpoint and the serving image (one JSON row,
 * `models.settings`, in the settings table), and the registry token — which is a credential, so
 * it never goes into the database: a private file `<dataDir>/secrets/model-registry.token`
 * (0600, in a 0700 folder), or KFD_MODEL_REGISTRY_TOKEN, which wins. Never returned by the API.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ApiError } from '../api/api-error.js';
import type { ModelSettings } from '../api/schemas/models.js';

const KEY = 'models.settings';
export const TOKEN_ENV = 'KFD_MODEL_REGISTRY_TOKEN';
const stored = z.object({ registryEndpoint: z.string().default(''), servingImage: z.string().default('') });

export function tokenFileOf(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'model-registry.token');
}

function readStored(db: Database.Database): z.infer<typeof stored> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  try {
    return stored.parse(row ? JSON.parse(row.value) : {});
  } catch {
    return { registryEndpoint: '', servingImage: '' };
  }
}

/** http(s) URL without credentials, query or fragment; '' clears it. */
export function checkEndpoint(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw new ApiError('bad_request', `Model Registry endpoint "${url}" is not a URL; give its base, e.g. https://model-registry.example.com (or http://127.0.0.1:8080 through a port-forward).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ApiError('bad_request', `Model Registry endpoint ${url}: only http:// and https:// are supported.`);
  if (u.username || u.password) throw new ApiError('bad_request', 'Model Registry endpoint: put no credentials in the URL; set the token instead (it is kept out of the database).');
  if (u.search || u.hash) throw new ApiError('bad_request', 'Model Registry endpoint: give the base URL without ?query or #fragment.');
  return trimmed;
}

export class ModelSettingsStore {
  constructor(private readonly db: Database.Database, private readonly dataDir: string, private readonly env: NodeJS.ProcessEnv) {}

  async token(): Promise<{ value: string | null; source: ModelSettings['tokenSource'] }> {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return { value: fromEnv, source: 'env' };
    const fromFile = (await readFile(tokenFileOf(this.dataDir), 'utf8').catch(() => '')).trim();
    return fromFile ? { value: fromFile, source: 'file' } : { value: null, source: 'none' };
  }

  servingImage(): string | null {
    return readStored(this.db).servingImage || null;
  }

  async get(): Promise<ModelSettings> {
    const s = readStored(this.db);
    const t = await this.token();
    return { registryEndpoint: s.registryEndpoint, servingImage: s.servingImage, tokenSet: t.value !== null, tokenSource: t.source };
  }

  async set(patch: { registryEndpoint?: string | undefined; token?: string | undefined; clearToken?: boolean | undefined; servingImage?: string | undefined }): Promise<ModelSettings> {
    const next = readStored(this.db);
    if (patch.registryEndpoint !== undefined) next.registryEndpoint = checkEndpoint(patch.registryEndpoint);
    if (patch.servingImage !== undefined) next.servingImage = patch.servingImage.trim();
    if (patch.token !== undefined && /\s/.test(patch.token.trim())) throw new ApiError('bad_request', 'The token has white space inside it; paste the token alone.');
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(next));
    const file = tokenFileOf(this.dataDir);
    if (patch.clearToken) await rm(file, { force: true });
    if (patch.token !== undefined) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await chmod(path.dirname(file), 0o700);
      await writeFile(file, patch.token.trim(), { mode: 0o600 });
      await chmod(file, 0o600);
    }
    return this.get();
  }
}

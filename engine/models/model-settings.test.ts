import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/store.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { checkEndpoint, ModelSettingsStore, tokenFileOf } from './model-settings.js';

describe('models settings', () => {
  it('keeps the registry token out of the database: a 0600 file, never returned; the env variable wins', async () => {
    const dataDir = makeTempDir('models', 'settings');
    const store = openStore(dataDir);
    const s = new ModelSettingsStore(store.db, dataDir, {});
    expect(await s.get()).toEqual({ registryEndpoint: '', servingImage: '', tokenSet: false, tokenSource: 'none' });
    const after = await s.set({ registryEndpoint: 'https://registry.example.test/', token: 'sekret-token-123', servingImage: 'kfd-test/mlserver:bookworm' });
    expect(after).toEqual({ registryEndpoint: 'https://registry.example.test', servingImage: 'kfd-test/mlserver:bookworm', tokenSet: true, tokenSource: 'file' });
    expect(JSON.stringify(after)).not.toContain('sekret');
    const file = tokenFileOf(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect((await s.token()).value).toBe('sekret-token-123');
    store.close();
    // Nowhere in the database files (WAL included).
    for (const f of fs.readdirSync(dataDir).filter((n) => n.includes('.db') || n.endsWith('-wal'))) expect(fs.readFileSync(path.join(dataDir, f)).includes('sekret-token-123')).toBe(false);
    const reopened = openStore(dataDir);
    expect(await new ModelSettingsStore(reopened.db, dataDir, { KFD_MODEL_REGISTRY_TOKEN: 'from-env' }).token()).toEqual({ value: 'from-env', source: 'env' });
    const cleared = await new ModelSettingsStore(reopened.db, dataDir, {}).set({ clearToken: true });
    expect(cleared).toMatchObject({ tokenSet: false, tokenSource: 'none' });
    reopened.close();
  });

  it('takes an endpoint without credentials, query or fragment', () => {
    expect(checkEndpoint(' http://127.0.0.1:8080/ ')).toBe('http://127.0.0.1:8080');
    expect(checkEndpoint('')).toBe('');
    expect(() => checkEndpoint('https://user:pw@host')).toThrow(/no credentials in the URL/);
    expect(() => checkEndpoint('ftp://host')).toThrow(/only http/);
    expect(() => checkEndpoint('not a url')).toThrow(/is not a URL/);
  });
});

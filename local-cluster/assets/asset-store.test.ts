import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { writeFakeAssets } from '../test-support/fake-assets.js';
import { preparedNodeImage, readAssets, writeAssets } from './asset-store.js';

describe('the prepared node image', () => {
  it('is used by later creates while kind is the release it was prepared for', () => {
    const dir = makeTempDir('cluster', 'assets');
    const rec = writeFakeAssets(dir);
    writeAssets(dir, { ...rec, kindVersion: 'v0.30.0', nodeImage: 'kfd-test/kind-node:v1.36.2-abc' });
    const assets = readAssets(dir);
    expect(preparedNodeImage(assets, 'v0.30.0')).toBe('kfd-test/kind-node:v1.36.2-abc');
    expect(preparedNodeImage(assets, 'kind v0.30.0 go1.26.8 linux/amd64')).toBe('kfd-test/kind-node:v1.36.2-abc');
    // A node image is made for one kind release: after a kind upgrade the new default wins.
    expect(preparedNodeImage(assets, 'v0.32.0')).toBeUndefined();
    expect(preparedNodeImage(null, 'v0.30.0')).toBeUndefined();
  });
});

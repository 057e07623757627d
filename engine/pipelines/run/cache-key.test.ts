import { describe, expect, it } from 'vitest';
import type { ComponentSpec } from '../spec/pipeline-spec.js';
import { cacheKey, cachingEnabled } from './cache-key.js';

const comp: ComponentSpec = { executorLabel: 'exec-a', outputDefinitions: { parameters: { Output: { parameterType: 'STRING' } } } };
const container = { image: 'python:3.11', command: ['sh', '-c', 'x'], args: ['--a'] };
const io = (p: Record<string, unknown>, uri = '/r/a/data') => ({ parameters: p, artifacts: { data: [{ name: 'data', uri, type: {}, metadata: { m: 1 } }] } });

describe('cache key', () => {
  it('is the same for the same component and inputs, whatever the key order', () => {
    expect(cacheKey(comp, container, io({ a: 1, b: 'x' }))).toBe(cacheKey(comp, container, io({ b: 'x', a: 1 })));
  });
  it('changes with a parameter, an input artifact, the image, the command or the outputs', () => {
    const base = cacheKey(comp, container, io({ a: 1 }));
    expect(cacheKey(comp, container, io({ a: 2 }))).not.toBe(base);
    expect(cacheKey(comp, container, io({ a: 1 }, '/r/b/data'))).not.toBe(base);
    expect(cacheKey(comp, { ...container, image: 'python:3.12' }, io({ a: 1 }))).not.toBe(base);
    expect(cacheKey(comp, { ...container, args: ['--b'] }, io({ a: 1 }))).not.toBe(base);
    expect(cacheKey({ ...comp, outputDefinitions: {} }, container, io({ a: 1 }))).not.toBe(base);
  });
  it('follows cachingOptions as kfp writes them ({} is off)', () => {
    expect(cachingEnabled({ componentRef: { name: 'c' }, cachingOptions: { enableCache: true } })).toBe(true);
    expect(cachingEnabled({ componentRef: { name: 'c' }, cachingOptions: {} })).toBe(false);
  });
});

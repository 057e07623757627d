import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipMissingPart } from './real-parts.js';

const ci = process.env.CI;
afterEach(() => {
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
  vi.restoreAllMocks();
});

describe('the one policy for a missing real part', () => {
  it('skips with the reason printed locally', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const skip = vi.fn();
    skipMissingPart('kind', 'not on PATH (go install sigs.k8s.io/kind@v0.30.0)', skip);
    expect(skip).toHaveBeenCalledWith('needs kind: not on PATH (go install sigs.k8s.io/kind@v0.30.0)');
    expect(warn).toHaveBeenCalledWith('skipping: needs kind: not on PATH (go install sigs.k8s.io/kind@v0.30.0)');
  });

  it('fails under CI=true, naming the part and the reason, without skipping', () => {
    process.env.CI = 'true';
    const skip = vi.fn();
    expect(() => skipMissingPart('kind', 'not on PATH', skip)).toThrow('CI=true requires kind: not on PATH');
    expect(skip).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from 'vitest';
import { atLeast, parseVersion } from './version-compare.js';

describe('parseVersion', () => {
  it('finds the version in the text tools print', () => {
    expect(parseVersion('v20.19.0')).toEqual([20, 19, 0]);
    expect(parseVersion('kind v0.30.0 go1.24.6 linux/amd64')).toEqual([0, 30, 0]);
    expect(parseVersion('1.13.0a0')).toEqual([1, 13, 0]);
    expect(parseVersion('3.11')).toEqual([3, 11, 0]);
    expect(parseVersion('unknown')).toBeNull();
  });
});

describe('atLeast', () => {
  it('compares numerically, not as text', () => {
    expect(atLeast('v20.19.0', '20.19.0')).toBe(true);
    expect(atLeast('v20.20.2', '20.19.0')).toBe(true);
    expect(atLeast('v22.1.0', '20.19.0')).toBe(true);
    expect(atLeast('v20.18.3', '20.19.0')).toBe(false);
    expect(atLeast('v20.9.0', '20.19.0')).toBe(false);
    expect(atLeast('v18.20.0', '20.19.0')).toBe(false);
    expect(atLeast('garbage', '20.19.0')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { isNonNegativeQuantity, parseQuantity, quantityCeil } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['2', 2],
    ['500m', 0.5],
    ['100m', 0.1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['4Gi', 4 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1Ki', 1024],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2e-3', 0.002],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1E', 1e18],
    ['250u', 250e-6],
    ['+3', 3],
    ['-1', -1],
    ['0', 0],
  ])('%s → %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it('accepts YAML numbers as they are', () => {
    expect(parseQuantity(4)).toBe(4);
    expect(parseQuantity(0.5)).toBe(0.5);
    expect(parseQuantity(Number.NaN)).toBeNull();
  });

  it.each(['', 'two', '4GB', '4gi', '1.2.3', 'm', 'Gi', '1 Gi', ' 1', '1e', '0x10', '1Mi1'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});

describe('isNonNegativeQuantity', () => {
  it('requires a quantity of zero or more', () => {
    expect(isNonNegativeQuantity('1Gi')).toBe(true);
    expect(isNonNegativeQuantity(0)).toBe(true);
    expect(isNonNegativeQuantity('-1')).toBe(false);
    expect(isNonNegativeQuantity('lots')).toBe(false);
    expect(isNonNegativeQuantity(true)).toBe(false);
  });
});

describe('quantityCeil', () => {
  it('rounds up to whole units like resource.Quantity.Value()', () => {
    expect(quantityCeil('500m')).toBe(1);
    expect(quantityCeil('1.5')).toBe(2);
    expect(quantityCeil('3')).toBe(3);
    expect(quantityCeil('3000m')).toBe(3);
    expect(quantityCeil('x')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { parseOutputFile, parseParameterText, resolveRunParameters } from './values.js';
import { parseDuration, retryDelayMs } from './retry.js';

describe('parameter values as KFP types them', () => {
  it('reads typed text (--param, form fields) by parameterType, naming a bad one', () => {
    expect(parseParameterText('n', ' 5 ', 'NUMBER_INTEGER')).toBe(5);
    expect(parseParameterText('lr', '1e-3', 'NUMBER_DOUBLE')).toBe(0.001);
    expect(parseParameterText('on', 'True', 'BOOLEAN')).toBe(true);
    expect(parseParameterText('xs', '[1, 2]', 'LIST')).toEqual([1, 2]);
    expect(parseParameterText('cfg', '{"a": 1}', 'STRUCT')).toEqual({ a: 1 });
    expect(parseParameterText('s', '5', 'STRING')).toBe('5');
    expect(() => parseParameterText('n', '2.5', 'NUMBER_INTEGER')).toThrow('Parameter n: "2.5" is not a whole number (NUMBER_INTEGER).');
    expect(() => parseParameterText('xs', '{"a":1}', 'LIST')).toThrow(/not a JSON list/);
  });
  it('applies defaults (kfp writes integers as 5.0) and names what is missing or unknown', () => {
    const defs = { n: { parameterType: 'NUMBER_INTEGER' as const, defaultValue: 5.0 }, name: { parameterType: 'STRING' as const }, opt: { parameterType: 'STRING' as const, isOptional: true } };
    expect(resolveRunParameters(defs, { name: 'x' })).toEqual({ n: 5, name: 'x' });
    expect(() => resolveRunParameters(defs, {})).toThrow('The pipeline needs a value for name (STRING); give it with --param name=value.');
    expect(() => resolveRunParameters(defs, { name: 'x', nme: 'y' })).toThrow('The pipeline has no parameter "nme"; it has n, name, opt.');
  });
  it('reads output parameter files as KFP\'s launcher does', () => {
    expect(parseOutputFile('42\n', 'NUMBER_INTEGER')).toBe(42);
    expect(parseOutputFile('hi!', 'STRING')).toBe('hi!');
    expect(parseOutputFile('false', 'BOOLEAN')).toBe(false);
    expect(() => parseOutputFile('x', 'NUMBER_DOUBLE')).toThrow(/not a number/);
  });
  it('waits like KFP\'s retry policy: backoff × factor^attempt, capped', () => {
    expect(parseDuration('1s', 0)).toBe(1000);
    expect(parseDuration('3600s', 0)).toBe(3_600_000);
    expect(retryDelayMs({ backoffDuration: '1s', backoffFactor: 2, backoffMaxDuration: '3s' }, 0)).toBe(1000);
    expect(retryDelayMs({ backoffDuration: '1s', backoffFactor: 2, backoffMaxDuration: '3s' }, 1)).toBe(2000);
    expect(retryDelayMs({ backoffDuration: '1s', backoffFactor: 2, backoffMaxDuration: '3s' }, 5)).toBe(3000);
  });
});

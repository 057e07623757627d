import { describe, expect, it } from 'vitest';
import { base64url, takeTokenFromUrl } from './token';

describe('takeTokenFromUrl', () => {
  it('takes the token and keeps the rest, including the hash', () => {
    expect(takeTokenFromUrl('http://127.0.0.1:7070/?token=abc123#/doctor')).toEqual({
      token: 'abc123',
      cleaned: '/#/doctor',
    });
    expect(takeTokenFromUrl('http://127.0.0.1:7070/app/?x=1&token=t%2Bk&y=2#/settings')).toEqual({
      token: 't+k',
      cleaned: '/app/?x=1&y=2#/settings',
    });
  });
  it('leaves a URL without a token alone', () => {
    expect(takeTokenFromUrl('http://localhost:5199/?a=b#/jobs')).toEqual({ token: null, cleaned: '/?a=b#/jobs' });
  });
  it('treats an empty token as none but still removes it', () => {
    expect(takeTokenFromUrl('http://localhost/?token=#/x')).toEqual({ token: null, cleaned: '/#/x' });
  });
});

describe('base64url', () => {
  it('encodes UTF-8 bytes without padding (RFC 4648 §5)', () => {
    expect(base64url('')).toBe('');
    expect(base64url('f')).toBe('Zg');
    expect(base64url('fo')).toBe('Zm8');
    expect(base64url('foo')).toBe('Zm9v');
    expect(base64url('\u00ff\u00fe?>')).toBe('w7_Dvj8-');
    expect(base64url('tøken/with+chars')).toBe('dMO4a2VuL3dpdGgrY2hhcnM');
    expect(base64url('??>>~~')).toBe('Pz8-Pn5-');
  });
  it('uses only subprotocol-safe characters', () => {
    expect(base64url('??>>~~\u00ff')).toMatch(/^[A-Za-z0-9_-]*$/);
  });
});

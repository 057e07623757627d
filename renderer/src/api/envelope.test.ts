import { describe, expect, it } from 'vitest';
import { errorText, fieldErrors, isEnvelope, KfdApiError, unwrapEnvelope } from './envelope';

describe('unwrapEnvelope', () => {
  it('returns the result', () => {
    expect(unwrapEnvelope({ result: { version: '1' } }, 'version')).toEqual({ version: '1' });
    expect(unwrapEnvelope({ result: null }, 'x')).toBeNull();
  });

  it('throws KfdApiError with code, message and details', () => {
    const details = [{ path: ['theme'], message: 'Invalid option' }];
    try {
      unwrapEnvelope({ error: { code: 'bad_request', message: 'settings.update: field `theme`: Invalid option', details } }, 'settings.update');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KfdApiError);
      const e = err as KfdApiError;
      expect(e.code).toBe('bad_request');
      expect(e.message).toBe('settings.update: field `theme`: Invalid option');
      expect(e.details).toBe(details);
      expect(fieldErrors(e)).toEqual({ theme: 'Invalid option' });
    }
  });

  it('maps unknown codes to internal and keeps the message', () => {
    expect(() => unwrapEnvelope({ error: { code: 'weird', message: 'boom' } }, 'x')).toThrow(
      expect.objectContaining({ code: 'internal', message: 'boom' }),
    );
  });

  it('rejects things that are not envelopes', () => {
    expect(isEnvelope('<html>')).toBe(false);
    expect(isEnvelope({ error: 'nope' })).toBe(false);
    expect(isEnvelope([])).toBe(false);
    expect(() => unwrapEnvelope({ foo: 1 }, 'version')).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});

describe('errorText', () => {
  it('shows the real message and string details', () => {
    expect(errorText(new KfdApiError('unavailable', 'Docker is down', 'connect ENOENT /var/run/docker.sock'))).toBe(
      'Docker is down\nconnect ENOENT /var/run/docker.sock',
    );
    expect(errorText(new KfdApiError('internal', 'same', 'same'))).toBe('same');
    expect(errorText(new Error('plain'))).toBe('plain');
    expect(errorText('text')).toBe('text');
  });
  it('finds no field errors on non-API errors', () => {
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { allowedHosts, authorize, bearerToken, tokenFromSubprotocols, tokenSubprotocol } from './web-auth.js';

const policy = { token: 's3cret-token', hosts: allowedHosts('127.0.0.1', 8123) };
const good = { host: '127.0.0.1:8123', origin: undefined, token: 's3cret-token' };

describe('web-mode authorization', () => {
  it('accepts the token from a CLI-style client (no Origin)', () => {
    expect(authorize(good, policy)).toEqual({ ok: true });
  });

  it('accepts the app page itself on 127.0.0.1 and localhost', () => {
    expect(authorize({ ...good, origin: 'http://127.0.0.1:8123' }, policy).ok).toBe(true);
    expect(authorize({ ...good, host: 'localhost:8123', origin: 'http://localhost:8123' }, policy).ok).toBe(true);
  });

  it('answers 401 without a token or with a wrong one, and says where to get it', () => {
    const missing = authorize({ ...good, token: undefined }, policy);
    expect(missing).toMatchObject({ ok: false, status: 401 });
    expect(!missing.ok && missing.message).toContain('kfd serve');
    expect(authorize({ ...good, token: 's3cret-tokeN' }, policy)).toMatchObject({ ok: false, status: 401 });
    expect(authorize({ ...good, token: 's3cret' }, policy)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 403 to a foreign Origin even with the right token', () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9999', 'null', 'file://', 'http://127.0.0.1:8123.evil.example']) {
      expect(authorize({ ...good, origin }, policy)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('answers 403 to a rebound Host name', () => {
    expect(authorize({ ...good, host: 'attacker.example:8123' }, policy)).toMatchObject({ ok: false, status: 403 });
    expect(authorize({ ...good, host: undefined }, policy)).toMatchObject({ ok: false, status: 403 });
  });

  it('on every interface (--host 0.0.0.0) answers to this machine\'s addresses and name, still only with the token', () => {
    const machine = { addresses: ['127.0.0.1', '::1', '192.168.1.20', 'fd00::2', 'fe80::1%eth0'], hostname: 'Workstation' };
    const lan = { token: 's3cret-token', hosts: allowedHosts('0.0.0.0', 8123, machine) };
    for (const host of ['192.168.1.20:8123', '[fd00::2]:8123', 'workstation:8123', '127.0.0.1:8123', 'localhost:8123']) {
      expect(authorize({ ...good, host, origin: `http://${host}` }, lan), host).toEqual({ ok: true });
      expect(authorize({ ...good, host, token: undefined }, lan), host).toMatchObject({ ok: false, status: 401 });
    }
    for (const host of ['0.0.0.0:8123', 'attacker.example:8123', '192.168.1.21:8123', '192.168.1.20:8124']) {
      expect(authorize({ ...good, host }, lan), host).toMatchObject({ ok: false, status: 403 });
    }
    expect(authorize({ ...good, host: '192.168.1.20:8123', origin: 'http://attacker.example' }, lan)).toMatchObject({ ok: false, status: 403 });
    // A loopback server never answers to LAN names.
    expect(authorize({ ...good, host: '192.168.1.20:8123' }, { token: 's3cret-token', hosts: allowedHosts('127.0.0.1', 8123, machine) })).toMatchObject({ ok: false, status: 403 });
  });

  it('reads bearer tokens and WebSocket token subprotocols', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    const proto = tokenSubprotocol('tök/en+=');
    expect(proto).toMatch(/^kfd\.token\.[A-Za-z0-9_-]+$/);
    expect(tokenFromSubprotocols(`kfd.v1, ${proto}`)).toBe('tök/en+=');
    expect(tokenFromSubprotocols('kfd.v1')).toBeUndefined();
  });

  it('lists IPv6 and wildcard hosts correctly', () => {
    expect(allowedHosts('::1', 80).has('[::1]:80')).toBe(true);
    expect(allowedHosts('0.0.0.0', 80).has('0.0.0.0:80')).toBe(false);
    expect(allowedHosts('0.0.0.0', 80).has('127.0.0.1:80')).toBe(true);
  });
});

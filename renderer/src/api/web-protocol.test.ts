import { describe, expect, it } from 'vitest';
import {
  envelopeFromHttp,
  eventSubprotocols,
  eventsUrl,
  methodUrl,
  NOT_SIGNED_IN_MESSAGE,
  parseEventMessage,
  reconnectDelay,
  requestHeaders,
  unreachableEnvelope,
} from './web-protocol';

const origin = 'http://127.0.0.1:7070';

describe('requests', () => {
  it('posts to /api/<method> with a bearer token', () => {
    expect(methodUrl('doctor.run')).toBe('/api/doctor.run');
    expect(requestHeaders('tok')).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer tok' });
    expect(requestHeaders(null)).toEqual({ 'Content-Type': 'application/json' });
  });
});

describe('envelopeFromHttp', () => {
  it('passes result and error envelopes through', () => {
    expect(envelopeFromHttp(200, '{"result":{"a":1}}', origin)).toEqual({ envelope: { result: { a: 1 } }, unauthorized: false });
    const err = { error: { code: 'bad_request', message: 'doctor.run: input: bad', details: [] } };
    expect(envelopeFromHttp(400, JSON.stringify(err), origin)).toEqual({ envelope: err, unauthorized: false });
  });
  it('turns 401 into the not-signed-in error', () => {
    const r = envelopeFromHttp(401, '{"error":{"code":"unauthorized","message":"missing token"}}', origin);
    expect(r.unauthorized).toBe(true);
    expect(r.envelope).toEqual({ error: { code: 'unauthorized', message: NOT_SIGNED_IN_MESSAGE, details: 'missing token' } });
    expect(envelopeFromHttp(401, '', origin).unauthorized).toBe(true);
  });
  it('explains a reply that is not from the engine', () => {
    const r = envelopeFromHttp(404, '<html>Not found</html>', origin);
    expect(r.unauthorized).toBe(false);
    expect(r.envelope).toMatchObject({ error: { code: 'unavailable' } });
    expect('error' in r.envelope && r.envelope.error.message).toContain('HTTP 404');
  });
  it('names the origin when the engine cannot be reached', () => {
    expect(unreachableEnvelope(origin)).toEqual({
      error: {
        code: 'unavailable',
        message: 'Cannot reach the Kubeflow Desktop engine at http://127.0.0.1:7070: is `kfd serve` still running?',
      },
    });
  });
});

describe('events socket', () => {
  it('uses ws or wss on the same host', () => {
    expect(eventsUrl({ protocol: 'http:', host: '127.0.0.1:7070' })).toBe('ws://127.0.0.1:7070/api/events');
    expect(eventsUrl({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api/events');
  });
  it('carries the token as a base64url subprotocol', () => {
    expect(eventSubprotocols('foo')).toEqual(['kfd.v1', 'kfd.token.Zm9v']);
  });
  it('backs off exponentially up to 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });
  it('parses event messages and ignores junk', () => {
    expect(parseEventMessage('{"event":"doctor.checkFinished","payload":{"id":"a"}}')).toEqual({
      event: 'doctor.checkFinished',
      payload: { id: 'a' },
    });
    expect(parseEventMessage('nope')).toBeNull();
    expect(parseEventMessage('{"payload":1}')).toBeNull();
    expect(parseEventMessage(new ArrayBuffer(2))).toBeNull();
  });
});

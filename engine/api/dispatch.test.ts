import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { createDispatcher, type Handlers } from './dispatch.js';

const settings = { theme: 'dark' as const, pythonPath: '', containerSocket: '' };

// Only the methods these tests call; the dispatcher never touches the others.
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return <Handlers>{
    version: () => ({ name: 'kubeflow-desktop', version: '1.2.3' }),
    'app.info': () => ({ version: '1', dataDir: '/d', databasePath: '/d/db', schemaVersion: 1, platform: 'x', node: '20' }),
    'doctor.list': () => [],
    'doctor.run': () => [],
    'settings.get': () => settings,
    'settings.update': (patch) => ({ ...settings, ...patch }),
    ...overrides,
  };
}

describe('dispatcher', () => {
  it('returns {result} for a valid call', async () => {
    const dispatch = createDispatcher(handlers());
    expect(await dispatch('version', {})).toEqual({ result: { name: 'kubeflow-desktop', version: '1.2.3' } });
  });

  it('rejects bad input with a message that names the field', async () => {
    const dispatch = createDispatcher(handlers());
    const env = await dispatch('settings.update', { theme: 'purple' });
    expect(env).toMatchObject({ error: { code: 'bad_request' } });
    expect('error' in env && env.error.message).toMatch(/settings\.update: field `theme`/);
    const extra = await dispatch('settings.update', { colour: 'x' });
    expect('error' in extra && extra.error.message).toMatch(/colour/);
  });

  it('answers not_found for an unknown method, including prototype names', async () => {
    const dispatch = createDispatcher(handlers());
    expect(await dispatch('nope', {})).toMatchObject({ error: { code: 'not_found' } });
    expect(await dispatch('constructor', {})).toMatchObject({ error: { code: 'not_found' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ error: { code: 'not_found' } });
  });

  it('passes an ApiError through with its code and details', async () => {
    const dispatch = createDispatcher(
      handlers({
        'doctor.run': () => {
          throw new ApiError('unavailable', 'Docker is not running', { socket: '/var/run/docker.sock' });
        },
      }),
    );
    expect(await dispatch('doctor.run', {})).toEqual({
      error: { code: 'unavailable', message: 'Docker is not running', details: { socket: '/var/run/docker.sock' } },
    });
  });

  it('reports a handler result that breaks the contract as internal, not as success', async () => {
    const dispatch = createDispatcher(handlers({ version: () => ({ name: 'other', version: 1 }) as never }));
    const env = await dispatch('version', {});
    expect(env).toMatchObject({ error: { code: 'internal' } });
  });

  it('turns a plain thrown error into an internal error with its message', async () => {
    const dispatch = createDispatcher(
      handlers({
        'settings.get': async () => {
          throw new Error('disk full');
        },
      }),
    );
    expect(await dispatch('settings.get', {})).toEqual({ error: { code: 'internal', message: 'disk full' } });
  });
});

/**
 * The typed API client: the same calls and events whether the UI runs in Electron
 * (`window.kfd`, from the preload) or in a browser (web mode, `kfd serve`).
 */
import type { EventName, EventPayload, KfdBridge, MethodInput, MethodName, MethodOutput } from '../../../engine/api/contract';
import { unwrapEnvelope } from './envelope';
import { observable, type Observable } from './observable';
import { createWebTransport, type ConnectionState } from './web-transport';

export { KfdApiError, errorText, fieldErrors } from './envelope';
export type { ConnectionState } from './web-transport';

declare global {
  interface Window {
    kfd?: KfdBridge;
  }
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  readonly transport: 'electron' | 'web';
  /** The event stream: always connected over IPC; may drop and reconnect in web mode. */
  readonly connection: Observable<ConnectionState>;
  /** Web mode only: the server refused our token (HTTP 401). */
  readonly signedOut: Observable<boolean>;
  /** Desktop-only extras (folder picker, …); absent in a browser. */
  readonly desktop: KfdBridge['desktop'];
}

export function createApiClient(bridge: KfdBridge | undefined = window.kfd): ApiClient {
  const web = bridge ? null : createWebTransport();
  const transport: KfdBridge = bridge ?? web!;

  return {
    async call(method, input) {
      let envelope: unknown;
      try {
        envelope = await transport.call(method, input);
      } catch (err) {
        // A bridge should never throw, but if IPC itself fails, keep the real message.
        envelope = { error: { code: 'internal', message: `${method}: ${err instanceof Error ? err.message : String(err)}` } };
      }
      return unwrapEnvelope(envelope, method);
    },
    on(event, cb) {
      return transport.on((name, payload) => {
        if (name === event) cb(payload as EventPayload<typeof event>);
      });
    },
    transport: bridge ? 'electron' : 'web',
    connection: web?.connection ?? observable<ConnectionState>('connected'),
    signedOut: web?.signedOut ?? observable(false),
    desktop: bridge?.desktop,
  };
}

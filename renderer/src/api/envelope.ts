/** Envelopes → values or thrown `KfdApiError`s. Pure: tested in node. */
import type { ApiErrorBody, Envelope, ErrorCode } from '../../../engine/api/contract';

const ERROR_CODES: readonly ErrorCode[] = [
  'bad_request',
  'not_found',
  'unauthorized',
  'forbidden',
  'conflict',
  'unavailable',
  'cancelled',
  'internal',
];

/** An API error as the user should see it: the engine's own message, never a generic one. */
export class KfdApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'KfdApiError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `{result}` or `{error:{code,message}}`. */
export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!isObject(value)) return false;
  if ('error' in value) return isObject(value.error) && typeof value.error.message === 'string';
  return 'result' in value;
}

export function toKfdApiError(body: ApiErrorBody | Record<string, unknown>): KfdApiError {
  const code = ERROR_CODES.includes(body.code as ErrorCode) ? (body.code as ErrorCode) : 'internal';
  const message = typeof body.message === 'string' && body.message ? body.message : `The engine reported an error (${code}).`;
  return new KfdApiError(code, message, body.details);
}

/** `{result}` → result; `{error}` → throws KfdApiError; anything else → throws `internal`. */
export function unwrapEnvelope<T>(envelope: unknown, method: string): T {
  if (!isEnvelope(envelope)) {
    throw new KfdApiError('internal', `${method}: the engine sent a reply that is not an API envelope.`, envelope);
  }
  if ('error' in envelope) throw toKfdApiError(envelope.error);
  return envelope.result as T;
}

/** Issues attached to a `bad_request` (zod issues: `{path, message}`), by top-level field. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof KfdApiError) || !Array.isArray(err.details)) return out;
  for (const issue of err.details) {
    if (!isObject(issue) || !Array.isArray(issue.path) || typeof issue.message !== 'string') continue;
    const field = issue.path[0];
    if (typeof field === 'string' && !(field in out)) out[field] = issue.message;
  }
  return out;
}

/** The text to show for any thrown value: the real message, plus string details when they add something. */
export function errorText(err: unknown): string {
  if (err instanceof KfdApiError) {
    const extra = typeof err.details === 'string' && err.details && err.details !== err.message ? `\n${err.details}` : '';
    return err.message + extra;
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

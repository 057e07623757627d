import type { z } from 'zod';
import { ApiError, toErrorBody } from './api-error.js';
import {
  isMethodName,
  methods,
  type Envelope,
  type MethodName,
  type MethodOutput,
  type Methods,
} from './contract.js';

export type Handlers = {
  [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/** "settings.update: field `theme`: Invalid option: expected one of ..." — names the field. */
export function describeZodError(method: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length ? `field \`${issue.path.join('.')}\`` : 'input';
    return `${where}: ${issue.message}`;
  });
  return `${method}: ${parts.join('; ')}`;
}

/**
 * The single entry point every transport calls. Validates input, runs the handler, validates
 * the output (a mismatch is our bug, reported as `internal`), and never throws.
 */
export function createDispatcher(handlers: Handlers) {
  return async function dispatch(method: string, input: unknown): Promise<Envelope<unknown>> {
    if (!isMethodName(method)) {
      return { error: { code: 'not_found', message: `Unknown API method "${method}".` } };
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      return {
        error: {
          code: 'bad_request',
          message: describeZodError(method, parsed.error),
          details: parsed.error.issues,
        },
      };
    }
    try {
      const handler = handlers[method] as (i: unknown) => Promise<unknown> | unknown;
      const result = await handler(parsed.data);
      const checked = spec.output.safeParse(result);
      if (!checked.success) {
        throw new ApiError('internal', `${method} returned a malformed result: ${describeZodError(method, checked.error)}`);
      }
      return { result: checked.data };
    } catch (err) {
      return { error: toErrorBody(err) };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

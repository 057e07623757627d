/** What every `kfd` command does with the API: call a method (an error envelope becomes a CommandError) and turn errors into "kfd: <message>" + an exit code. */
export type Envelope = { result: unknown } | { error: { code: string; message: string } };
export type Dispatch = (method: string, input: unknown) => Promise<Envelope>;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** `notFoundExit`: the exit code for a `not_found` answer (the job commands use 2, as "no such job"). */
export async function callApi<T>(dispatch: Dispatch, method: string, input: unknown, notFoundExit = 1): Promise<T> {
  const answer = await dispatch(method, input);
  if ('error' in answer) throw new CommandError(answer.error.message, answer.error.code === 'not_found' ? notFoundExit : 1);
  return answer.result as T;
}

export async function guardCommand(stderr: { write(text: string): unknown }, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    stderr.write(`kfd: ${(err as Error).message}\n`);
    return err instanceof CommandError ? err.exitCode : 1;
  }
}

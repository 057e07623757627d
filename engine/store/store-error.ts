/**
 * Errors from opening or migrating the database. They reach the user at startup (no API call is
 * in flight), so the message alone must say which file, what is wrong and what to do.
 */
export type StoreErrorReason = 'cannot-open' | 'not-a-database' | 'newer-schema' | 'migration-failed';

export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    /** The database file concerned. */
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function newerSchemaError(file: string, found: number, known: number): StoreError {
  return new StoreError(
    'newer-schema',
    file,
    `The database ${file} was written by a newer version of Kubeflow Desktop ` +
      `(schema version ${found}; this version knows up to ${known}). ` +
      `Upgrade Kubeflow Desktop to open it. The file was left unchanged.`,
  );
}

export function notADatabaseError(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'not-a-database',
    file,
    `${file} is not a usable Kubeflow Desktop database (${detail}). It was left unchanged. ` +
      `Move it aside (for example rename it to ${file}.bad) and start the app again to create a fresh one.`,
    cause === undefined ? undefined : { cause },
  );
}

export function cannotOpenError(file: string, cause: unknown): StoreError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(
    'cannot-open',
    file,
    `Cannot open the database ${file}: ${why}. Check the owner and permissions of the file and its folder.`,
    { cause },
  );
}

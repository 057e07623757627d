/**
 * What the rest of the app tells the editor without importing Monaco (which is a lazy chunk):
 * the TrainJob JSON schema for YAML hovers/completion, models to let go when a tab closes, and
 * "show this line". The Monaco side subscribes when it loads; requests made before are kept.
 */

export interface YamlSchema {
  /** Globs matched against the model path, e.g. "**\/trainjob.yaml". */
  fileMatch: string[];
  uri: string;
  schema: Record<string, unknown>;
}

type Listener = () => void;

let schemas: YamlSchema[] = [];
const schemaListeners = new Set<Listener>();

/** Sets these schemas, keeping the ones with other URIs (each area sets its own file types). */
export function setYamlSchemas(next: YamlSchema[]): void {
  const uris = new Set(next.map((s) => s.uri));
  schemas = [...schemas.filter((s) => !uris.has(s.uri)), ...next];
  for (const l of schemaListeners) l();
}

export function getYamlSchemas(): YamlSchema[] {
  return schemas;
}

export function onYamlSchemas(listener: Listener): () => void {
  schemaListeners.add(listener);
  return () => schemaListeners.delete(listener);
}

let release: ((path: string) => void) | null = null;

/** Disposes the editor model (undo history, view state) kept for a closed file. */
export function releaseEditorModel(path: string): void {
  release?.(path);
}

export function setModelReleaser(fn: ((path: string) => void) | null): void {
  release = fn;
}

export interface RevealRequest {
  path: string;
  line: number;
  column: number;
}

let pendingReveal: RevealRequest | null = null;
const revealListeners = new Set<(r: RevealRequest) => void>();

/** Moves the cursor to a line in `path` once that file is in the editor (now or when it opens). */
export function revealInEditor(request: RevealRequest): void {
  pendingReveal = request;
  for (const l of revealListeners) l(request);
}

export function takeReveal(path: string): RevealRequest | null {
  if (pendingReveal?.path !== path) return null;
  const r = pendingReveal;
  pendingReveal = null;
  return r;
}

export function onReveal(listener: (r: RevealRequest) => void): () => void {
  revealListeners.add(listener);
  return () => revealListeners.delete(listener);
}

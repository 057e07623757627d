/** Pure helpers of the Models pages: states as badges, property values, V2 requests and answers, load-test charts. */
import type { Deployment, DeploymentState, MetadataValue, ModelVersionDetail } from '../../../engine/api/contract';

export type DeploymentTone = 'ok' | 'busy' | 'failed' | 'idle' | 'warning';

export function deploymentTone(state: DeploymentState): DeploymentTone {
  switch (state) {
    case 'Ready':
      return 'ok';
    case 'Preparing':
    case 'Starting':
    case 'Stopping':
    case 'Applied':
      return 'busy';
    case 'Failed':
      return 'failed';
    case 'NotReady':
      return 'warning';
    case 'Stopped':
      return 'idle';
  }
}

export const isActive = (d: Pick<Deployment, 'state'>) => d.state === 'Preparing' || d.state === 'Starting' || d.state === 'Ready' || d.state === 'Stopping';

export function deploymentWhere(d: Deployment): string {
  if (d.kind === 'cluster') return `${(d.target ?? '').replace(/^kubeconfig:|^local:/, '')}/${d.namespace ?? ''}`;
  return d.backend === 'container' ? 'Container' : 'Local process';
}

/** The value as text: numbers shortened, structs as JSON. */
export function propertyText(v: MetadataValue): string {
  switch (v.metadataType) {
    case 'MetadataStringValue':
      return v.string_value;
    case 'MetadataDoubleValue':
      return Number.isInteger(v.double_value) ? String(v.double_value) : String(Number(v.double_value.toPrecision(6)));
    case 'MetadataIntValue':
      return v.int_value;
    case 'MetadataBoolValue':
      return String(v.bool_value);
    case 'MetadataStructValue':
      try {
        // base64 of UTF-8 JSON: atob alone gives Latin-1 characters for every non-ASCII byte.
        return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(v.struct_value), (c) => c.charCodeAt(0)));
      } catch {
        return v.struct_value;
      }
  }
}

export const propertyType = (v: MetadataValue) => v.metadataType.replace(/^Metadata|Value$/g, '').toLowerCase();

/** Properties in groups a reader scans: metrics, the job, the training environment, the rest. */
export function groupProperties(props: ModelVersionDetail['customProperties']): { title: string; rows: [string, MetadataValue][] }[] {
  const groups: Record<string, [string, MetadataValue][]> = { Metrics: [], Job: [], 'Trained with': [], Other: [] };
  for (const [k, v] of Object.entries(props).sort(([a], [b]) => a.localeCompare(b))) {
    if (k.startsWith('metric.')) groups.Metrics!.push([k.slice('metric.'.length), v]);
    else if (k.startsWith('kfd.job.') || k.startsWith('kfd.pipeline.')) groups.Job!.push([k.replace(/^kfd\./, ''), v]);
    else if (k.startsWith('kfd.training.')) groups['Trained with']!.push([k.replace(/^kfd\.training\.(lib\.)?/, ''), v]);
    else groups.Other!.push([k, v]);
  }
  return Object.entries(groups).filter(([, rows]) => rows.length).map(([title, rows]) => ({ title, rows }));
}

/** The storage folder's last part and the digest prefix, for a compact artifact line. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

export interface V2Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data?: unknown[];
}

/**
 * A request for the metadata's inputs with `rows` rows of random values in [lo, hi] (integers
 * for INT types): something to send that is not all zeros.
 */
export function randomRequest(metadata: { inputs?: V2Tensor[]; outputs?: V2Tensor[] }, rows: number, lo = 0, hi = 16, rand: () => number = Math.random) {
  const inputs = (metadata.inputs ?? []).map((t) => {
    const shape = t.shape.map((d, i) => (d >= 0 ? d : i === 0 ? rows : 1));
    const count = shape.reduce((a, b) => a * b, 1);
    const int = /INT/.test(t.datatype);
    const data = Array.from({ length: count }, () => {
      const v = lo + rand() * (hi - lo);
      return int ? Math.round(v) : Number(v.toFixed(3));
    });
    return { name: t.name, datatype: t.datatype, shape, data };
  });
  return { inputs, ...(metadata.outputs?.length ? { outputs: metadata.outputs.map((o) => ({ name: o.name })) } : {}) };
}

/** The JSON the user typed → the request, or the error with where it is. */
export function parseRequest(text: string): { request: unknown } | { error: string } {
  try {
    const request = JSON.parse(text) as unknown;
    if (!request || typeof request !== 'object' || !Array.isArray((request as { inputs?: unknown }).inputs)) return { error: 'A V2 infer request is an object with an "inputs" list.' };
    return { request };
  } catch (err) {
    return { error: `Not JSON: ${(err as Error).message}` };
  }
}

/** An infer answer's outputs as rows (one per batch row) for a table; null when it is an error body. */
export function outputRows(response: unknown): { names: string[]; rows: string[][] } | null {
  const outputs = (response as { outputs?: V2Tensor[] } | null)?.outputs;
  if (!Array.isArray(outputs)) return null;
  const names = outputs.map((o) => o.name);
  const batch = Math.max(0, ...outputs.map((o) => o.shape[0] ?? 0));
  const rows: string[][] = [];
  for (let r = 0; r < batch && r < 200; r++) {
    rows.push(
      outputs.map((o) => {
        const width = o.shape.slice(1).reduce((a, b) => a * b, 1);
        const cells = (o.data ?? []).slice(r * width, (r + 1) * width);
        return cells.map((c) => (typeof c === 'number' && !Number.isInteger(c) ? Number(c.toPrecision(4)) : c)).join(', ');
      }),
    );
  }
  return { names, rows };
}

export const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);

/** uPlot columns for the load test: x = seconds since the start, y = latency (ms), ordered by x. */
export function latencySeries(samples: [number, number][]): [number[], number[]] {
  const sorted = [...samples].sort((a, b) => a[0] - b[0]);
  return [sorted.map(([t]) => t / 1000), sorted.map(([, l]) => l)];
}

/** JSON for the request editor: indented, but each list of numbers, booleans or strings on one line. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*((?:-?[\d.eE+-]+|true|false|null|"[^"\n]*")(?:,\s*(?:-?[\d.eE+-]+|true|false|null|"[^"\n]*"))*)\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
}

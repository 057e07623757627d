/**
 * Hand-off to a Kubeflow Pipelines installation through its v2beta1 REST API: upload the compiled
 * pipeline (UploadPipeline, or UploadPipelineVersion when the name exists), then start a run
 * (RunService_CreateRun) with the parameters. Requests follow KFP's own OpenAPI
 * (third_party/kubeflow-pipelines/kfp_api_v2beta1.swagger.json); the tests check every request
 * body against it with a fake server. The token travels only in the Authorization header.
 */
import { ApiError } from '../../api/api-error.js';

export interface KfpConnection {
  endpoint: string;
  token: string | null;
  namespace?: string | undefined;
  fetch?: typeof fetch;
}

export interface HandOffResult {
  pipelineId: string;
  pipelineVersionId: string | null;
  runId: string;
  state: string | null;
  /** The run in KFP's UI, when the endpoint is the UI's origin. */
  runUrl: string;
}

interface RpcStatus {
  code?: number;
  message?: string;
  error?: string;
}

function base(endpoint: string): string {
  const url = endpoint.trim().replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new ApiError('bad_request', `The KFP endpoint "${endpoint}" is not an http(s) URL; set it in Settings → Kubeflow Pipelines, e.g. http://localhost:8080.`);
  return url;
}

async function call<T>(c: KfpConnection, method: string, pathAndQuery: string, body?: string | FormData, json = true): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (json && body !== undefined) headers['content-type'] = 'application/json';
  const url = `${base(c.endpoint)}${pathAndQuery}`;
  let res: Response;
  try {
    res = await (c.fetch ?? fetch)(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch (err) {
    throw new ApiError('unavailable', `Cannot reach Kubeflow Pipelines at ${base(c.endpoint)}: ${(err as Error).message}. Check the endpoint in Settings.`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const status = (parsed ?? {}) as RpcStatus;
    const why = status.message ?? status.error ?? text.slice(0, 200);
    if (res.status === 401 || res.status === 403) throw new ApiError('unauthorized', `Kubeflow Pipelines refused the request (${res.status}): ${why}. Check the token (Settings, or ${'KFD_KFP_TOKEN'}).`, { status: res.status });
    throw new ApiError(res.status === 409 ? 'conflict' : res.status === 404 ? 'not_found' : 'bad_request', `Kubeflow Pipelines answered ${res.status} to ${method} ${pathAndQuery.split('?')[0]}: ${why}`, { status: res.status, code: status.code });
  }
  if (parsed === null || typeof parsed !== 'object') throw new ApiError('internal', `Kubeflow Pipelines answered ${method} ${pathAndQuery.split('?')[0]} with something that is not JSON.`);
  return parsed as T;
}

function need(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value) throw new ApiError('internal', `Kubeflow Pipelines' answer has no ${what}; is the endpoint a KFP v2 API server?`);
  return value;
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Uploads `yaml` as pipeline `name` (a new version when it exists) and starts a run of it. */
export async function handOff(c: KfpConnection, input: { name: string; displayName: string; description?: string | undefined; yaml: string; runName: string; parameters: Record<string, unknown>; experimentId?: string | undefined }): Promise<HandOffResult> {
  const form = () => {
    const f = new FormData();
    f.set('uploadfile', new Blob([input.yaml], { type: 'application/x-yaml' }), `${input.name}.yaml`);
    return f;
  };
  let pipelineId: string;
  let pipelineVersionId: string | null = null;
  try {
    const created = await call<{ pipeline_id?: string }>(c, 'POST', `/apis/v2beta1/pipelines/upload${query({ name: input.name, display_name: input.displayName, description: input.description, namespace: c.namespace })}`, form(), false);
    pipelineId = need(created.pipeline_id, 'pipeline_id');
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'conflict') throw err;
    // The name exists: this upload becomes its newest version.
    const existing = await call<{ pipeline_id?: string }>(c, 'GET', `/apis/v2beta1/pipelines/names/${encodeURIComponent(input.name)}${query({ namespace: c.namespace })}`);
    pipelineId = need(existing.pipeline_id, 'pipeline_id');
    const version = await call<{ pipeline_version_id?: string }>(c, 'POST', `/apis/v2beta1/pipelines/upload_version${query({ name: `${input.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`, display_name: input.displayName, pipelineid: pipelineId, description: input.description })}`, form(), false);
    pipelineVersionId = need(version.pipeline_version_id, 'pipeline_version_id');
  }
  const run = {
    display_name: input.runName,
    ...(input.description ? { description: input.description } : {}),
    pipeline_version_reference: { pipeline_id: pipelineId, ...(pipelineVersionId ? { pipeline_version_id: pipelineVersionId } : {}) },
    runtime_config: { parameters: input.parameters },
    ...(input.experimentId ? { experiment_id: input.experimentId } : {}),
  };
  const created = await call<{ run_id?: string; state?: string }>(c, 'POST', `/apis/v2beta1/runs${query({ experiment_id: input.experimentId })}`, JSON.stringify(run));
  const runId = need(created.run_id, 'run_id');
  return { pipelineId, pipelineVersionId, runId, state: created.state ?? null, runUrl: `${base(c.endpoint)}/#/runs/details/${runId}` };
}

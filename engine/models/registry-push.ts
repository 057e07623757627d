/**
 * Pushing a version to a Kubeflow Model Registry over its REST API (`/api/model_registry/v1alpha3`):
 * find or create the RegisteredModel, then the ModelVersion, then upsert its ModelArtifact with
 * the uri a cluster reads the model from (never the local file://). The token goes in the
 * Authorization header only. Every answer we use is checked (zod, the fields we rely on) and a
 * refused request comes back with the registry's own message.
 */
import { z } from 'zod';
import { ApiError } from '../api/api-error.js';
import type { CustomProperties, ModelArtifact, ModelVersion, RegisteredModel } from '../api/schemas/models.js';
import { clusterStorageProblem } from './inference-service.js';

export const API_PREFIX = '/api/model_registry/v1alpha3';

const withId = z.object({ id: z.string().regex(/^[1-9][0-9]{0,8}$/), name: z.string().optional() }).passthrough();
const errorBody = z.object({ code: z.string().optional(), message: z.string() }).passthrough();

export interface PushInput {
  registry: string;
  token: string | null;
  model: RegisteredModel;
  version: ModelVersion;
  artifact: ModelArtifact;
  uri: string;
  /** The files are already where uri points (an oci:// image this push built). */
  uploaded?: boolean;
  fetchImpl?: typeof fetch;
}

export interface PushResult {
  registry: string;
  registeredModelId: string;
  modelVersionId: string;
  artifactId: string;
  uri: string;
  notes: string[];
}

/** The uri the remote registry gets, or why the given one cannot be used. */
export function remoteUri(uri: string | undefined, artifact: ModelArtifact): string {
  if (!uri) {
    throw new ApiError(
      'bad_request',
      `The version's model is only on this machine (${artifact.uri}); a cluster cannot read that. Upload the folder ${artifact.localPath} (${artifact.files.join(', ')}) to storage your cluster reads, then push with its uri, e.g. --uri s3://<bucket>/<path>/ (also gs://, pvc://<claim>/<path>, oci://, https://).`,
    );
  }
  const problem = clusterStorageProblem(uri);
  if (problem) throw new ApiError('bad_request', `--uri: ${problem}`);
  return uri;
}

/** Property values as the API takes them (ours already are MetadataValues). */
function props(p: CustomProperties): CustomProperties {
  return p;
}

class RegistryHttp {
  constructor(
    private readonly base: string,
    private readonly token: string | null,
    private readonly fetchImpl: typeof fetch,
  ) {}

  async call<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>, okStatuses: number[], query?: Record<string, string>): Promise<{ status: number; data: T | null }> {
    const url = new URL(this.base.replace(/\/$/, '') + API_PREFIX + path);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new ApiError('unavailable', `Cannot reach the Model Registry at ${this.base}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}.`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (okStatuses.includes(res.status)) {
      if (res.status === 404) return { status: 404, data: null };
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new ApiError('internal', `${method} ${url.pathname}: the Model Registry answered ${res.status} with a body this app cannot read (${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}).`);
      return { status: res.status, data: parsed.data };
    }
    const e = errorBody.safeParse(json);
    const what = e.success ? e.data.message : text.slice(0, 300) || res.statusText;
    const hint = res.status === 401 || res.status === 403 ? ' Check the registry token in Settings → Models (or KFD_MODEL_REGISTRY_TOKEN).' : '';
    throw new ApiError(res.status === 409 ? 'conflict' : res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status >= 500 ? 'unavailable' : 'bad_request', `${method} ${url.pathname}: the Model Registry answered ${res.status}: ${what}.${hint}`);
  }
}

export async function pushVersion(input: PushInput): Promise<PushResult> {
  const http = new RegistryHttp(input.registry, input.token, input.fetchImpl ?? fetch);
  const notes: string[] = [];

  const foundModel = await http.call('GET', '/registered_model', undefined, withId, [200, 404], { name: input.model.name });
  let modelId = foundModel.data?.id;
  if (!modelId) {
    const created = await http.call('POST', '/registered_models', { name: input.model.name, description: input.model.description, owner: input.model.owner, state: 'LIVE', customProperties: props(input.model.customProperties) }, withId, [201, 200]);
    modelId = created.data!.id;
  }

  const foundVersion = await http.call('GET', '/model_version', undefined, withId, [200, 404], { name: input.version.name, parentResourceId: modelId });
  let versionId = foundVersion.data?.id;
  if (versionId) notes.push(`Version ${input.version.name} already existed there (id ${versionId}); its artifact was updated.`);
  else {
    const created = await http.call(
      'POST',
      '/model_versions',
      { name: input.version.name, registeredModelId: modelId, description: input.version.description, author: input.version.author, state: input.version.state, customProperties: props(input.version.customProperties) },
      withId,
      [201, 200],
    );
    versionId = created.data!.id;
  }

  const a = input.artifact;
  const artifact = await http.call(
    'POST',
    `/model_versions/${versionId}/artifacts`,
    {
      artifactType: 'model-artifact',
      name: `${input.model.name}-${input.version.name}`,
      uri: input.uri,
      modelFormatName: a.modelFormatName,
      ...(a.modelFormatVersion ? { modelFormatVersion: a.modelFormatVersion } : {}),
      state: 'LIVE',
      ...(a.modelSourceKind ? { modelSourceKind: a.modelSourceKind } : {}),
      ...(a.modelSourceClass ? { modelSourceClass: a.modelSourceClass } : {}),
      ...(a.modelSourceGroup ? { modelSourceGroup: a.modelSourceGroup } : {}),
      ...(a.modelSourceId ? { modelSourceId: a.modelSourceId } : {}),
      ...(a.modelSourceName ? { modelSourceName: a.modelSourceName } : {}),
      customProperties: { ...props(a.customProperties), 'kfd.digest': { metadataType: 'MetadataStringValue', string_value: a.digest } },
    },
    withId.extend({ artifactType: z.literal('model-artifact'), uri: z.string().optional() }),
    [200, 201],
  );
  if (input.uploaded) notes.push(`The registry points at ${input.uri}, the image just pushed (${a.files.join(', ')} under /models): KServe serves it as a modelcar.`);
  else notes.push(`The registry points at ${input.uri}: make sure ${a.files.join(', ')} (${a.sizeBytes.toLocaleString('en-US')} bytes, from ${a.localPath}) are uploaded there before a cluster serves it.`);
  return { registry: input.registry, registeredModelId: modelId, modelVersionId: versionId, artifactId: artifact.data!.id, uri: input.uri, notes };
}

/** SQL for registered models, versions, artifacts, deployments and pushes. Rows in, API shapes out. */
import type Database from 'better-sqlite3';
import type {
  CustomProperties,
  Deployment,
  DeploymentState,
  ModelArtifact,
  ModelSignature,
  ModelSource,
  ModelVersion,
  RegisteredModel,
  TrainingEnv,
} from '../api/schemas/models.js';
import type { BackendId, JobStatus } from '../api/schemas/jobs.js';

interface ModelRow {
  id: number;
  name: string;
  description: string;
  owner: string;
  state: string;
  custom_properties: string;
  created_at: number;
  updated_at: number;
}
interface VersionRow {
  id: number;
  registered_model_id: number;
  name: string;
  description: string;
  author: string;
  state: string;
  custom_properties: string;
  source: string;
  job_id: string | null;
  training_env: string;
  signature: string;
  created_at: number;
  updated_at: number;
}
interface ArtifactRow {
  id: number;
  model_version_id: number;
  name: string;
  uri: string;
  model_format_name: string;
  model_format_version: string;
  storage_key: string;
  storage_path: string;
  model_source_kind: string;
  model_source_class: string;
  model_source_group: string;
  model_source_id: string;
  model_source_name: string;
  state: string;
  custom_properties: string;
  digest: string;
  size_bytes: number;
  files: string;
  model_file: string;
  local_path: string;
  created_at: number;
  updated_at: number;
}
interface DeploymentRow {
  id: string;
  model_version_id: number;
  kind: string;
  backend: string | null;
  job_id: string | null;
  port: number | null;
  url: string | null;
  target: string | null;
  namespace: string | null;
  manifest: string;
  state: string;
  message: string;
  conditions: string;
  created_at: number;
  updated_at: number;
  model_name: string;
  version_name: string;
  job_status: string | null;
}

const EMPTY_SIGNATURE: ModelSignature = { inputs: [], outputs: [], detail: '' };

function toModel(r: ModelRow): RegisteredModel {
  return {
    id: String(r.id),
    name: r.name,
    description: r.description,
    owner: r.owner,
    state: r.state as RegisteredModel['state'],
    customProperties: JSON.parse(r.custom_properties) as CustomProperties,
    createTimeSinceEpoch: String(r.created_at),
    lastUpdateTimeSinceEpoch: String(r.updated_at),
  };
}

function toVersion(r: VersionRow): ModelVersion {
  const env = JSON.parse(r.training_env) as Partial<TrainingEnv>;
  const sig = JSON.parse(r.signature) as Partial<ModelSignature>;
  return {
    id: String(r.id),
    registeredModelId: String(r.registered_model_id),
    name: r.name,
    description: r.description,
    author: r.author,
    state: r.state as ModelVersion['state'],
    customProperties: JSON.parse(r.custom_properties) as CustomProperties,
    createTimeSinceEpoch: String(r.created_at),
    lastUpdateTimeSinceEpoch: String(r.updated_at),
    source: JSON.parse(r.source) as ModelSource,
    jobId: r.job_id,
    trainingEnv: { python: env.python ?? null, pythonVersion: env.pythonVersion ?? null, packages: env.packages ?? {}, source: env.source ?? '' },
    signature: { ...EMPTY_SIGNATURE, ...sig },
  };
}

function toArtifact(r: ArtifactRow): ModelArtifact {
  return {
    id: String(r.id),
    artifactType: 'model-artifact',
    name: r.name,
    uri: r.uri,
    modelFormatName: r.model_format_name,
    modelFormatVersion: r.model_format_version,
    storageKey: r.storage_key,
    storagePath: r.storage_path,
    modelSourceKind: r.model_source_kind,
    modelSourceClass: r.model_source_class,
    modelSourceGroup: r.model_source_group,
    modelSourceId: r.model_source_id,
    modelSourceName: r.model_source_name,
    state: r.state as ModelArtifact['state'],
    customProperties: JSON.parse(r.custom_properties) as CustomProperties,
    createTimeSinceEpoch: String(r.created_at),
    lastUpdateTimeSinceEpoch: String(r.updated_at),
    digest: r.digest,
    sizeBytes: r.size_bytes,
    files: JSON.parse(r.files) as string[],
    modelFile: r.model_file,
    localPath: r.local_path,
  };
}

function toDeployment(r: DeploymentRow): Deployment {
  return {
    id: r.id,
    modelVersionId: String(r.model_version_id),
    modelName: r.model_name,
    versionName: r.version_name,
    kind: r.kind as Deployment['kind'],
    backend: (r.backend as BackendId | null) ?? null,
    jobId: r.job_id,
    jobStatus: (r.job_status as JobStatus | null) ?? null,
    url: r.url,
    port: r.port,
    target: r.target,
    namespace: r.namespace,
    manifest: r.manifest,
    state: r.state as DeploymentState,
    message: r.message,
    conditions: JSON.parse(r.conditions) as Deployment['conditions'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewVersion {
  name: string;
  description: string;
  author: string;
  customProperties: CustomProperties;
  source: ModelSource;
  jobId: string | null;
  trainingEnv: TrainingEnv;
  signature: ModelSignature;
}

export type NewArtifact = Omit<ModelArtifact, 'id' | 'artifactType' | 'createTimeSinceEpoch' | 'lastUpdateTimeSinceEpoch' | 'state'>;

export interface NewDeployment {
  id: string;
  modelVersionId: string;
  kind: Deployment['kind'];
  backend: BackendId | null;
  port: number | null;
  url: string | null;
  target: string | null;
  namespace: string | null;
  manifest: string;
  state: DeploymentState;
  message: string;
}

const DEPLOYMENT_SELECT = `
  SELECT d.*, m.name AS model_name, v.name AS version_name, j.status AS job_status
  FROM model_deployments d
  JOIN model_versions v ON v.id = d.model_version_id
  JOIN registered_models m ON m.id = v.registered_model_id
  LEFT JOIN jobs j ON j.id = d.job_id`;

export class ModelRepo {
  constructor(private readonly db: Database.Database) {}

  models(): RegisteredModel[] {
    return (this.db.prepare('SELECT * FROM registered_models ORDER BY updated_at DESC, id DESC').all() as ModelRow[]).map(toModel);
  }

  modelByName(name: string): RegisteredModel | null {
    const r = this.db.prepare('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
    return r ? toModel(r) : null;
  }

  versions(modelId: string): ModelVersion[] {
    return (this.db.prepare('SELECT * FROM model_versions WHERE registered_model_id = ? ORDER BY id DESC').all(Number(modelId)) as VersionRow[]).map(toVersion);
  }

  version(id: string): ModelVersion | null {
    const r = this.db.prepare('SELECT * FROM model_versions WHERE id = ?').get(Number(id)) as VersionRow | undefined;
    return r ? toVersion(r) : null;
  }

  versionByName(modelId: string, name: string): ModelVersion | null {
    const r = this.db.prepare('SELECT * FROM model_versions WHERE registered_model_id = ? AND name = ?').get(Number(modelId), name) as VersionRow | undefined;
    return r ? toVersion(r) : null;
  }

  versionsOfJob(jobId: string): ModelVersion[] {
    return (this.db.prepare('SELECT * FROM model_versions WHERE job_id = ? ORDER BY id').all(jobId) as VersionRow[]).map(toVersion);
  }

  artifacts(versionId: string): ModelArtifact[] {
    return (this.db.prepare('SELECT * FROM model_artifacts WHERE model_version_id = ? ORDER BY id').all(Number(versionId)) as ArtifactRow[]).map(toArtifact);
  }

  /** Model, version and artifact in one transaction: a crash leaves all or nothing. */
  register(model: { name: string; description: string; owner: string }, version: NewVersion, artifact: NewArtifact, now: number): { modelId: string; versionId: string } {
    return this.db.transaction(() => {
      let modelId = (this.db.prepare('SELECT id FROM registered_models WHERE name = ?').get(model.name) as { id: number } | undefined)?.id;
      if (modelId === undefined) {
        modelId = Number(
          this.db
            .prepare('INSERT INTO registered_models (name, description, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
            .run(model.name, model.description, model.owner, now, now).lastInsertRowid,
        );
      } else {
        this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(now, modelId);
      }
      const versionId = Number(
        this.db
          .prepare(
            `INSERT INTO model_versions (registered_model_id, name, description, author, custom_properties, source, job_id, training_env, signature, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(modelId, version.name, version.description, version.author, JSON.stringify(version.customProperties), JSON.stringify(version.source), version.jobId, JSON.stringify(version.trainingEnv), JSON.stringify(version.signature), now, now).lastInsertRowid,
      );
      const a = artifact;
      this.db
        .prepare(
          `INSERT INTO model_artifacts (model_version_id, name, uri, model_format_name, model_format_version, storage_key, storage_path,
             model_source_kind, model_source_class, model_source_group, model_source_id, model_source_name, custom_properties,
             digest, size_bytes, files, model_file, local_path, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(versionId, a.name, a.uri, a.modelFormatName, a.modelFormatVersion, a.storageKey, a.storagePath, a.modelSourceKind, a.modelSourceClass, a.modelSourceGroup, a.modelSourceId, a.modelSourceName, JSON.stringify(a.customProperties), a.digest, a.sizeBytes, JSON.stringify(a.files), a.modelFile, a.localPath, now, now);
      return { modelId: String(modelId), versionId: String(versionId) };
    }).immediate();
  }

  /** The next free "vN" name of a model. */
  nextVersionName(modelId: string | null): string {
    if (!modelId) return 'v1';
    const names = (this.db.prepare('SELECT name FROM model_versions WHERE registered_model_id = ?').all(Number(modelId)) as { name: string }[]).map((r) => r.name);
    const taken = new Set(names);
    let n = names.length + 1;
    while (taken.has(`v${n}`)) n++;
    return `v${n}`;
  }

  setVersionState(id: string, state: ModelVersion['state'], now: number): void {
    this.db.prepare('UPDATE model_versions SET state = ?, updated_at = ? WHERE id = ?').run(state, now, Number(id));
  }

  insertDeployment(d: NewDeployment, now: number): void {
    this.db
      .prepare(
        `INSERT INTO model_deployments (id, model_version_id, kind, backend, port, url, target, namespace, manifest, state, message, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.id, Number(d.modelVersionId), d.kind, d.backend, d.port, d.url, d.target, d.namespace, d.manifest, d.state, d.message, now, now);
  }

  updateDeployment(id: string, patch: Partial<{ jobId: string | null; state: DeploymentState; message: string; port: number | null; url: string | null; manifest: string; conditions: Deployment['conditions'] }>, now: number): void {
    const cols: string[] = [];
    const values: unknown[] = [];
    const set = (col: string, v: unknown) => (cols.push(`${col} = ?`), values.push(v));
    if (patch.jobId !== undefined) set('job_id', patch.jobId);
    if (patch.state !== undefined) set('state', patch.state);
    if (patch.message !== undefined) set('message', patch.message);
    if (patch.port !== undefined) set('port', patch.port);
    if (patch.url !== undefined) set('url', patch.url);
    if (patch.manifest !== undefined) set('manifest', patch.manifest);
    if (patch.conditions !== undefined) set('conditions', JSON.stringify(patch.conditions));
    set('updated_at', now);
    this.db.prepare(`UPDATE model_deployments SET ${cols.join(', ')} WHERE id = ?`).run(...values, id);
  }

  deployment(id: string): Deployment | null {
    const r = this.db.prepare(`${DEPLOYMENT_SELECT} WHERE d.id = ?`).get(id) as DeploymentRow | undefined;
    return r ? toDeployment(r) : null;
  }

  /** A deployment by id or unique id prefix. */
  findDeployment(idOrPrefix: string): Deployment[] {
    return (this.db.prepare(`${DEPLOYMENT_SELECT} WHERE d.id LIKE ? ESCAPE '\\' ORDER BY d.created_at DESC LIMIT 2`).all(`${idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as DeploymentRow[]).map(toDeployment);
  }

  deployments(filter: { versionId?: string; active?: boolean } = {}): Deployment[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.versionId) (where.push('d.model_version_id = ?'), values.push(Number(filter.versionId)));
    if (filter.active) where.push(`d.state IN ('Preparing', 'Starting', 'Ready', 'Stopping', 'Applied', 'NotReady')`);
    return (this.db.prepare(`${DEPLOYMENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at DESC`).all(...values) as DeploymentRow[]).map(toDeployment);
  }

  recordPush(p: { versionId: string; registry: string; registeredModelId: string; modelVersionId: string; artifactId: string; uri: string }, now: number): void {
    this.db
      .prepare(
        `INSERT INTO model_pushes (model_version_id, registry, remote_model_id, remote_version_id, remote_artifact_id, uri, pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model_version_id, registry) DO UPDATE SET remote_model_id = excluded.remote_model_id, remote_version_id = excluded.remote_version_id,
           remote_artifact_id = excluded.remote_artifact_id, uri = excluded.uri, pushed_at = excluded.pushed_at`,
      )
      .run(Number(p.versionId), p.registry, p.registeredModelId, p.modelVersionId, p.artifactId, p.uri, now);
  }

  pushes(versionId: string) {
    const rows = this.db.prepare('SELECT * FROM model_pushes WHERE model_version_id = ? ORDER BY pushed_at DESC').all(Number(versionId)) as {
      registry: string;
      remote_model_id: string;
      remote_version_id: string;
      remote_artifact_id: string;
      uri: string;
      pushed_at: number;
    }[];
    return rows.map((r) => ({ registry: r.registry, registeredModelId: r.remote_model_id, modelVersionId: r.remote_version_id, artifactId: r.remote_artifact_id, uri: r.uri, at: r.pushed_at }));
  }
}

/**
 * The local model registry: register a version from a finished job, a pipeline's system.Model
 * artifact or any file/folder (copied into the data dir, content-addressed); read models,
 * versions and their lineage back. Shaped like Kubeflow Model Registry so a push is a mapping.
 */
import os from 'node:os';
import path from 'node:path';
import { realpath, stat } from 'node:fs/promises';
import { parse as yamlParse } from 'yaml';
import { ApiError } from '../api/api-error.js';
import type { CustomProperties, ModelFormat, ModelSource, ModelSummary, ModelVersion, ModelVersionDetail, RegisteredModel } from '../api/schemas/models.js';
import { storeArtifact } from './artifact-store.js';
import { doubleValue, mergeProperties, PROPERTY, stringValue } from './custom-properties.js';
import { ModelRepo } from './model-repo.js';
import { formatVersion } from './serving-plan.js';
import { inspectWith, toTrainingEnv, trainingInterpreter, type InspectResult } from './training-env.js';
import { chooseInterpreter } from '../jobs/python-env/index.js';
import { connectEngine } from '../backends/container/engine-connection.js';
import { inspectInImage } from './image-inspect.js';
import type { OrchestratorDeps } from '../orchestrators.js';

export type ModelRegistryDeps = OrchestratorDeps;

export interface RegisterInput {
  name: string;
  version?: string | undefined;
  format: ModelFormat;
  description?: string | undefined;
  author?: string | undefined;
  jobId?: string | undefined;
  path: string;
  pipeline?: { runId?: string | undefined; taskId?: string | undefined } | undefined;
  customProperties?: CustomProperties | undefined;
}

/** The file a server loads from an artifact folder, by the names MLServer's runtimes look for. */
const WELL_KNOWN: Record<string, string[]> = {
  sklearn: ['model.joblib', 'model.pickle', 'model.pkl'],
  xgboost: ['model.bst', 'model.json', 'model.ubj'],
  lightgbm: ['model.bst', 'model.txt'],
};

export function modelFileOf(format: string, files: string[], isDirectory: boolean): string {
  if (!isDirectory) return files[0]!;
  const names = WELL_KNOWN[format] ?? [];
  for (const n of names) if (files.includes(n)) return n;
  for (const n of names) {
    const nested = files.find((f) => f.endsWith(`/${n}`));
    if (nested) return nested;
  }
  return files.length === 1 ? files[0]! : '';
}

/** `name` or `name:version` → its parts. */
export function parseModelRef(ref: string): { name: string; version: string | null } {
  const at = ref.lastIndexOf(':');
  if (at <= 0) return { name: ref, version: null };
  return { name: ref.slice(0, at), version: ref.slice(at + 1) || null };
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class ModelRegistry {
  readonly repo: ModelRepo;

  constructor(private readonly deps: ModelRegistryDeps) {
    this.repo = new ModelRepo(deps.db);
  }

  model(name: string): RegisteredModel {
    const m = this.repo.modelByName(name);
    if (!m) throw new ApiError('not_found', `No model "${name}". \`kfd models\` lists the registered models.`);
    return m;
  }

  /** `name` (its newest version) or `name:version`. */
  resolve(ref: string): { model: RegisteredModel; version: ModelVersion } {
    const { name, version } = parseModelRef(ref);
    const model = this.model(name);
    const v = version ? this.repo.versionByName(model.id, version) : (this.repo.versions(model.id)[0] ?? null);
    if (!v) {
      const names = this.repo.versions(model.id).map((x) => x.name);
      throw new ApiError('not_found', version ? `Model ${name} has no version "${version}"${names.length ? ` (it has ${names.join(', ')})` : ''}.` : `Model ${name} has no versions.`);
    }
    return { model, version: v };
  }

  list(): ModelSummary[] {
    return this.repo.models().map((m) => {
      const versions = this.repo.versions(m.id);
      const serving = versions.reduce((n, v) => n + this.repo.deployments({ versionId: v.id, active: true }).filter((d) => d.kind === 'local').length, 0);
      return {
        ...m,
        versions: versions.map((v) => ({ id: v.id, name: v.name, state: v.state, createTimeSinceEpoch: v.createTimeSinceEpoch, jobId: v.jobId })),
        latestVersion: versions[0]?.name ?? null,
        serving,
      };
    });
  }

  detail(version: ModelVersion, model?: RegisteredModel): ModelVersionDetail {
    const m = model ?? this.repo.models().find((x) => x.id === version.registeredModelId)!;
    return { ...version, model: m, artifacts: this.repo.artifacts(version.id), deployments: this.repo.deployments({ versionId: version.id }), pushes: this.repo.pushes(version.id) };
  }

  get(name: string): { model: RegisteredModel; versions: ModelVersionDetail[] } {
    const model = this.model(parseModelRef(name).name);
    return { model, versions: this.repo.versions(model.id).map((v) => this.detail(v, model)) };
  }

  versionDetail(ref: string): ModelVersionDetail {
    const { model, version } = this.resolve(ref);
    return this.detail(version, model);
  }

  setState(ref: string, state: ModelVersion['state']): ModelVersionDetail {
    const { model, version } = this.resolve(ref);
    this.repo.setVersionState(version.id, state, Date.now());
    this.deps.events.emit('models.changed', { modelName: model.name, deploymentId: null });
    return this.versionDetail(`${model.name}:${version.name}`);
  }

  async register(input: RegisterInput): Promise<ModelVersionDetail> {
    const existing = this.repo.modelByName(input.name);
    const versionName = input.version ?? this.repo.nextVersionName(existing?.id ?? null);
    if (existing && this.repo.versionByName(existing.id, versionName)) {
      throw new ApiError('conflict', `Model ${input.name} already has a version "${versionName}"; pick another --version (versions are never overwritten).`);
    }
    const properties: CustomProperties = {};
    let source: ModelSource;
    let sourcePath: string;
    let interpreter: { python: string | null; why: string; image?: string };
    let jobId: string | null = null;
    const artifactSource = { kind: 'kubeflow-desktop', class: 'path', group: os.hostname(), id: '', name: '' };

    if (input.jobId) {
      const job = await this.deps.jobs.detail(input.jobId);
      if (job.status !== 'Complete') {
        throw new ApiError('bad_request', `Job ${job.id} is ${job.status}${job.message ? ` (${job.message})` : ''}; register from a job that completed, or give the file with --uri (no job lineage).`);
      }
      const located = await this.deps.jobs.locate(job.id);
      sourcePath = path.resolve(job.workspace, input.path);
      const real = await realpath(sourcePath).catch(() => {
        throw new ApiError('bad_request', `${sourcePath} does not exist: job ${job.id} did not write it (its workspace is ${job.workspace}). Check the path the training script saves the model to.`);
      });
      if (!inside(real, await realpath(job.workspace).catch(() => job.workspace)) && !inside(real, located.jobDir)) {
        throw new ApiError('bad_request', `${sourcePath} is outside job ${job.id}'s workspace (${job.workspace}) and output folder (${located.jobDir}); register it with --uri instead.`);
      }
      const info = await stat(real);
      if (job.finishedAt && info.mtimeMs > job.finishedAt + 1000) {
        throw new ApiError('conflict', `${sourcePath} was changed at ${new Date(info.mtimeMs).toISOString()}, after job ${job.id} finished (${new Date(job.finishedAt).toISOString()}): it is not what that job wrote. Register it from the job that wrote it, or with --uri (no job lineage).`);
      }
      jobId = job.id;
      source = { kind: 'job', jobId: job.id, path: sourcePath };
      Object.assign(artifactSource, { class: 'job', id: job.id, name: job.name });
      properties[PROPERTY.jobId] = stringValue(job.id);
      properties[PROPERTY.jobName] = stringValue(job.name);
      properties[PROPERTY.workspace] = stringValue(job.workspace);
      properties[PROPERTY.backend] = stringValue(job.backend);
      for (const s of (await this.deps.jobs.metrics(job.id, 100_000)).series) {
        const last = s.points.at(-1);
        if (last && Number.isFinite(last[1])) properties[`${PROPERTY.metric}${s.name}`] = doubleValue(last[1]);
      }
      interpreter = await trainingInterpreter({ backend: job.backend, workspace: job.workspace, spec: parseSpecFacts(job.spec) }, this.deps.settings(), this.deps.env, this.deps.dataDir);
    } else {
      sourcePath = path.resolve(input.path);
      if (input.pipeline) {
        source = { kind: 'pipeline', runId: input.pipeline.runId ?? null, taskId: input.pipeline.taskId ?? null, path: sourcePath };
        Object.assign(artifactSource, { kind: 'pipelines', class: 'pipelinerun', id: input.pipeline.runId ?? '', name: input.pipeline.taskId ?? '' });
        if (input.pipeline.runId) properties[PROPERTY.pipelineRun] = stringValue(input.pipeline.runId);
        if (input.pipeline.taskId) properties[PROPERTY.pipelineTask] = stringValue(input.pipeline.taskId);
      } else {
        source = { kind: 'path', path: sourcePath };
      }
      const chosen = chooseInterpreter(this.deps.settings(), this.deps.env);
      interpreter = { python: chosen.command, why: `not from a job: recorded from ${chosen.command} (${chosen.source}), the interpreter jobs run with` };
    }

    const stored = await storeArtifact(this.deps.dataDir, sourcePath);
    const modelFile = modelFileOf(input.format, stored.files, stored.isDirectory);
    if (!modelFile) {
      throw new ApiError('bad_request', `${sourcePath} has no ${WELL_KNOWN[input.format]?.join(' / ') ?? 'model'} file; a ${input.format} model folder needs one (MLServer loads it by that name).`);
    }
    const modelPath = stored.isDirectory ? path.join(stored.localPath, modelFile) : stored.localPath;

    let inspected: InspectResult | null = null;
    let envSource = interpreter.why;
    if (interpreter.image) {
      try {
        const docker = (await connectEngine(this.deps.env, this.deps.settings())).docker;
        const modelDir = stored.isDirectory ? stored.localPath : path.dirname(stored.localPath);
        inspected = await inspectInImage(docker, interpreter.image, input.format, modelDir, stored.isDirectory ? modelFile : stored.name);
        envSource = `recorded from python3 in the job's image ${interpreter.image}`;
      } catch (err) {
        envSource = `${interpreter.why}; reading them in the image failed: ${(err as Error).message}`;
      }
    } else if (interpreter.python) {
      try {
        inspected = await inspectWith(interpreter.python, input.format, modelPath, { env: this.deps.env });
      } catch (err) {
        envSource = `${interpreter.why}, but reading it failed: ${(err as Error).message}`;
      }
    }
    // Versions read in an image: its interpreter's path means nothing on this machine.
    const trainingEnv = { ...toTrainingEnv(inspected, envSource), ...(interpreter.image ? { python: null } : {}) };
    for (const [lib, v] of Object.entries(trainingEnv.packages)) properties[`${PROPERTY.library}${lib}`] = stringValue(v);
    if (trainingEnv.pythonVersion) properties[PROPERTY.python] = stringValue(trainingEnv.pythonVersion);
    const signature = inspected?.model
      ? { inputs: inspected.model.inputs, outputs: inspected.model.outputs, detail: inspected.model.detail }
      : { inputs: [], outputs: [], detail: inspected?.error ? `The model could not be read with ${trainingEnv.python}: ${inspected.error}` : 'The model was not read (no training interpreter).' };

    const now = Date.now();
    const localRoot = stored.isDirectory ? stored.localPath : path.dirname(stored.localPath);
    const { versionId } = this.repo.register(
      { name: input.name, description: input.description ?? '', owner: input.author ?? os.userInfo().username },
      {
        name: versionName,
        description: input.description ?? '',
        author: input.author ?? os.userInfo().username,
        customProperties: mergeProperties(properties, input.customProperties),
        source,
        jobId,
        trainingEnv,
        signature,
      },
      {
        name: stored.name,
        // KServe's storageUri is a folder holding the model file (/mnt/models on a cluster).
        uri: `file://${localRoot}`,
        modelFormatName: input.format,
        modelFormatVersion: formatVersion(input.format, trainingEnv),
        storageKey: '',
        storagePath: '',
        modelSourceKind: artifactSource.kind,
        modelSourceClass: artifactSource.class,
        modelSourceGroup: artifactSource.group,
        modelSourceId: artifactSource.id,
        modelSourceName: artifactSource.name,
        customProperties: { 'kfd.source_path': stringValue(sourcePath) },
        digest: stored.digest,
        sizeBytes: stored.sizeBytes,
        files: stored.files,
        modelFile: stored.isDirectory ? modelFile : stored.name,
        localPath: localRoot,
      },
      now,
    );
    this.deps.events.emit('models.changed', { modelName: input.name, deploymentId: null });
    return this.detail(this.repo.version(versionId)!);
  }
}

/** The bits of a job's TrainJob YAML the training-interpreter lookup needs. */
function parseSpecFacts(spec: string): { metadata: { annotations?: Record<string, string> }; spec: { trainer?: { image?: string } } } {
  const doc = yamlParse(spec) as { metadata?: { annotations?: Record<string, string> }; spec?: { trainer?: { image?: string } } } | null;
  return { metadata: { ...(doc?.metadata?.annotations ? { annotations: doc.metadata.annotations } : {}) }, spec: { ...(doc?.spec?.trainer ? { trainer: doc.spec.trainer } : {}) } };
}

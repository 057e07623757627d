/**
 * Local model servers: a registered version served by MLServer (Open Inference Protocol) as a
 * long-running job of the one job system (owner `model-server/<id>`), in a managed venv pinned
 * to the training versions (local-process) or in an image (container), on 127.0.0.1 with a free
 * port. Logs, stop, restart and surviving an app restart come from the job system; this class
 * adds the environment, the server folder, readiness (`/v2/health/ready`) and the deployment row.
 */
import { access } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { Settings } from '../api/contract.js';
import type { EventBus } from '../api/event-bus.js';
import type { JobSummary } from '../api/schemas/jobs.js';
import type { Deployment, ModelVersion } from '../api/schemas/models.js';
import { newJobId } from '../jobs/job-ids.js';
import type { JobService } from '../jobs/job-service.js';
import { chooseInterpreter, chooseWheelhouse, ensureEnv, envsDirOf, PythonEnvError, type PythonEnvSettings } from '../jobs/python-env/index.js';
import { buildInferenceService, inferenceServiceYaml, parseInferenceService } from './inference-service.js';
import type { ModelRegistry } from './model-registry.js';
import { MODEL_DIR, serversDirOf, writeServerFolder } from './server-folder.js';
import {
  CONTAINER_GRPC_PORT,
  CONTAINER_HTTP_PORT,
  describeMismatch,
  modelSettings,
  serverJobName,
  serverSettings,
  serverTrainJob,
  servingRequirements,
  unservableReason,
} from './serving-plan.js';

export interface ModelServersDeps {
  registry: ModelRegistry;
  jobs: JobService;
  events: EventBus;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings(): Settings & PythonEnvSettings;
  /** The image for the container backend when the call names none (the servingImage choice). */
  servingImage(): string | null;
}

export type ServeBackend = 'local-process' | 'container';

const READY_POLL_MS = 250;
const ACTIVE: Deployment['state'][] = ['Preparing', 'Starting', 'Ready', 'Stopping'];

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export class ModelServers {
  /** Deployments whose environment is being prepared: aborting stops pip. */
  private readonly preparing = new Map<string, AbortController>();
  /** Deployments whose readiness is being polled. */
  private readonly polling = new Set<string>();
  /** Deployments a user stopped: the job's end is "Stopped", not "Failed". */
  private readonly stopping = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly deps: ModelServersDeps) {
    this.unsubscribe = deps.events.subscribe((event, payload) => {
      if (event !== 'jobs.changed') return;
      const job = payload as JobSummary;
      if (job.owner?.kind === 'model-server') void this.onJob(job).catch(() => undefined);
    });
  }

  private get repo() {
    return this.deps.registry.repo;
  }

  private changed(d: { id: string; modelName?: string | null }): void {
    if (this.closed) return;
    this.deps.events.emit('models.changed', { modelName: d.modelName ?? null, deploymentId: d.id });
  }

  private update(id: string, patch: Parameters<ModelServers['repo']['updateDeployment']>[1]): Deployment {
    this.repo.updateDeployment(id, patch, Date.now());
    const d = this.repo.deployment(id)!;
    this.changed({ id, modelName: d.modelName });
    return d;
  }

  get(idOrPrefix: string): Deployment {
    const found = this.repo.findDeployment(idOrPrefix);
    const exact = found.find((d) => d.id === idOrPrefix);
    if (exact) return exact;
    if (found.length === 1) return found[0]!;
    if (found.length > 1) throw new ApiError('bad_request', `"${idOrPrefix}" matches several servers; type more of the id.`);
    throw new ApiError('not_found', `No model server "${idOrPrefix}". \`kfd models show <name>\` lists a model's servers.`);
  }

  list(active?: boolean): Deployment[] {
    return this.repo.deployments({ ...(active ? { active: true } : {}) });
  }

  /** The InferenceService a version is served with (storageUri = its local copy). */
  inferenceService(ref: string, backend: ServeBackend = 'local-process', image?: string): { yaml: string; v2Name: string; version: ModelVersion; artifact: ReturnType<ModelServers['repo']['artifacts']>[number] } {
    const { model, version } = this.deps.registry.resolve(ref);
    const artifact = this.repo.artifacts(version.id)[0];
    if (!artifact) throw new ApiError('not_found', `${model.name}:${version.name} has no model artifact.`);
    const isvc = buildInferenceService({
      model: model.name,
      version: version.name,
      format: artifact.modelFormatName as Parameters<typeof buildInferenceService>[0]['format'],
      formatVersion: artifact.modelFormatVersion,
      storageUri: artifact.uri,
      servingImage: backend === 'container' ? image : undefined,
    });
    const comment = `KServe InferenceService for ${model.name}:${version.name}, served locally by Kubeflow Desktop.\nstorageUri is this machine's copy: for a cluster replace it with one the cluster can read (s3://, gs://, pvc://, oci://).`;
    return { yaml: inferenceServiceYaml(isvc, comment), v2Name: isvc.metadata.name, version, artifact };
  }

  async serve(input: { model: string; backend: ServeBackend; port?: number | undefined; image?: string | undefined }): Promise<Deployment> {
    await this.deps.jobs.ready;
    const { model, version } = this.deps.registry.resolve(input.model);
    const image = input.backend === 'container' ? (input.image ?? this.deps.servingImage()) : undefined;
    const plan = this.inferenceService(`${model.name}:${version.name}`, input.backend, image ?? undefined);
    const why = unservableReason(plan.artifact.modelFormatName);
    if (why) throw new ApiError('bad_request', why);
    if (version.state === 'ARCHIVED') throw new ApiError('bad_request', `${model.name}:${version.name} is archived; set it LIVE again to serve it.`);
    const requirements = servingRequirements(plan.artifact.modelFormatName as 'sklearn', version.trainingEnv);
    if (input.backend === 'container' && !image) {
      const pins = requirements.requirements.join(' ');
      throw new ApiError('bad_request', `Serving in a container needs an image with MLServer and the model's libraries: give one (--image, or the serving image setting), e.g. built with\n  printf 'FROM python:${version.trainingEnv.pythonVersion?.split('.').slice(0, 2).join('.') ?? '3.11'}-slim\\nRUN pip install ${pins}\\n' | docker build -t my-serving -`);
    }
    const running = this.repo.deployments({ versionId: version.id, active: true }).find((d) => d.kind === 'local');
    if (running) throw new ApiError('conflict', `${model.name}:${version.name} is already served by ${running.id} (${running.state}${running.url ? ` at ${running.url}` : ''}); stop it first (kfd models stop ${running.id}).`);
    if (input.port !== undefined && !(await portFree(input.port))) throw new ApiError('conflict', `Port ${input.port} on 127.0.0.1 is in use; pick another --port or leave it out for a free one.`);
    const port = input.port ?? (await freePort());
    const id = newJobId();
    this.repo.insertDeployment(
      { id, modelVersionId: version.id, kind: 'local', backend: input.backend, port, url: null, target: null, namespace: null, manifest: plan.yaml, state: 'Preparing', message: 'Preparing the serving environment.' },
      Date.now(),
    );
    this.changed({ id, modelName: model.name });
    void this.launch(id, image ?? undefined);
    return this.repo.deployment(id)!;
  }

  /** Environment → folder → job. Failures end the deployment Failed with the reason; a stop ends it Stopped. */
  private async launch(id: string, image?: string): Promise<void> {
    const abort = new AbortController();
    this.preparing.set(id, abort);
    try {
      const d = this.repo.deployment(id)!;
      const { version, artifact, v2Name } = this.inferenceService(`${d.modelName}:${d.versionName}`, (d.backend ?? 'local-process') as ServeBackend, image);
      const isvc = parseInferenceService(d.manifest);
      const format = artifact.modelFormatName as 'sklearn';
      const req = servingRequirements(format, version.trainingEnv);
      const backend = (d.backend ?? 'local-process') as ServeBackend;
      const servingImage = isvc.metadata.annotations?.['kubeflow-desktop/serving-image'];
      let python = 'python3';
      if (backend === 'local-process') python = await this.prepareEnv(id, version, req.requirements, abort.signal);
      if (abort.signal.aborted) throw new PythonEnvError('cancelled', 'Stopped while preparing.');
      const httpPort = backend === 'container' ? CONTAINER_HTTP_PORT : d.port!;
      const grpcPort = backend === 'container' ? CONTAINER_GRPC_PORT : await freePort();
      const dir = path.join(serversDirOf(this.deps.dataDir), id);
      await writeServerFolder(dir, artifact, {
        settings: serverSettings({ httpPort, grpcPort, host: backend === 'container' ? '0.0.0.0' : '127.0.0.1' }),
        modelSettings: modelSettings({ v2Name, version: version.name, format, uri: `./${MODEL_DIR}/${artifact.modelFile}`, signature: version.signature }),
        serving: { packages: req.pinned, server: req.server },
        inferenceServiceYaml: d.manifest,
      });
      const spec = serverTrainJob({
        name: serverJobName(v2Name),
        python,
        image: backend === 'container' ? servingImage : undefined,
        publish: backend === 'container' ? `${d.port}:${CONTAINER_HTTP_PORT}` : undefined,
        labels: { 'kubeflow-desktop/model': d.modelName, 'kubeflow-desktop/model-version': d.versionName },
      });
      if (abort.signal.aborted) throw new PythonEnvError('cancelled', 'Stopped while preparing.');
      // Another engine on this data dir may have started it meanwhile (or it was stopped): one server per deployment.
      const now = this.repo.deployment(id);
      if (!now || now.jobId || now.state !== 'Preparing') {
        this.preparing.delete(id);
        return;
      }
      const job = await this.deps.jobs.runOwned({ workspace: dir, spec, backend, owner: { kind: 'model-server', id, role: 'server' } });
      const unpinned = req.unpinned.length ? ` ${req.unpinned.join(', ')}: the training version is unknown, so pip chose it.` : '';
      this.update(id, { jobId: job.id, state: 'Starting', message: `Starting MLServer (job ${job.id}).${unpinned}` });
      this.preparing.delete(id);
      void this.pollReady(id);
    } catch (err) {
      this.preparing.delete(id);
      const stopped = this.stopping.has(id) || (err instanceof PythonEnvError && err.kind === 'cancelled');
      if (this.closed) return;
      this.update(id, stopped ? { state: 'Stopped', message: 'Stopped before the server started.' } : { state: 'Failed', message: (err as Error).message });
      this.stopping.delete(id);
    }
  }

  /** The managed venv: MLServer + the format's runtime + the training versions, on the training interpreter when it still exists. */
  private async prepareEnv(id: string, version: ModelVersion, requirements: string[], signal: AbortSignal): Promise<string> {
    const settings = this.deps.settings();
    const trained = version.trainingEnv.python;
    const base = trained && (await access(trained).then(() => true, () => false)) ? trained : chooseInterpreter(settings, this.deps.env).command;
    let last = 0;
    try {
      const env = await ensureEnv({
        basePython: base,
        requirements,
        wheelhouse: chooseWheelhouse(settings, this.deps.env),
        envsDir: envsDirOf(this.deps.dataDir),
        env: this.deps.env,
        signal,
        onProgress: (p) => {
          if (p.step === 'pip' && Date.now() - last < 500) return;
          last = Date.now();
          this.update(id, { message: p.line ? `${p.message} ${p.line}` : p.message });
        },
      });
      return env.python;
    } catch (err) {
      if (err instanceof PythonEnvError && err.kind !== 'cancelled') {
        const pins = requirements.filter((r) => !r.startsWith('mlserver')).join(', ');
        throw new PythonEnvError(err.kind, `The serving environment could not be built on ${base} with the versions the model was trained with (${pins}): ${err.message}`);
      }
      throw err;
    }
  }

  /** Polls /v2/health/ready (and the model's ready) until it answers, the job ends, or a stop. */
  private async pollReady(id: string): Promise<void> {
    if (this.polling.has(id)) return;
    this.polling.add(id);
    try {
      const { v2Ready } = await import('./v2-protocol.js');
      for (;;) {
        if (this.closed) return;
        const d = this.repo.deployment(id);
        if (!d || d.state !== 'Starting' || !d.port) return;
        if (d.jobStatus && d.jobStatus !== 'Created' && d.jobStatus !== 'Running') return; // onJob records it
        const base = `http://127.0.0.1:${d.port}`;
        if (await v2Ready(base, parseInferenceService(d.manifest).metadata.name, 1000)) {
          if (this.repo.deployment(id)?.state === 'Starting') this.update(id, { state: 'Ready', url: base, message: `Serving the Open Inference Protocol (V2) at ${base}.` });
          return;
        }
        await new Promise((r) => setTimeout(r, READY_POLL_MS));
      }
    } finally {
      this.polling.delete(id);
    }
  }

  /** A serving job changed: its end is the deployment's end (Stopped when asked to, else Failed with why). */
  private async onJob(job: JobSummary): Promise<void> {
    const d = this.repo.deployment(job.owner!.id);
    if (!d || d.jobId !== job.id) return;
    if (job.status === 'Created' || job.status === 'Running') {
      if (job.status === 'Running' && d.state === 'Starting') void this.pollReady(d.id);
      this.changed({ id: d.id, modelName: d.modelName });
      return;
    }
    // A stop (here or from another process) marks the deployment Stopping first; the job's end makes it Stopped.
    if (this.stopping.has(d.id) || d.state === 'Stopping' || d.state === 'Stopped' || job.status === 'Cancelled') {
      this.stopping.delete(d.id);
      this.update(d.id, { state: 'Stopped', url: null, message: 'Stopped.' });
      return;
    }
    const detail = await this.deps.jobs.detail(job.id).catch(() => null);
    const mismatch = describeMismatch(detail?.failureLog ?? []);
    const tail = (detail?.failureLog ?? []).filter((l) => l.trim()).slice(-3).join(' | ');
    const message = mismatch ?? `The server ${job.status === 'Complete' ? 'exited' : 'failed'}: ${job.message ?? job.reason ?? ''}${tail ? ` Last lines: ${tail}` : ''}`;
    this.update(d.id, { state: job.status === 'Complete' ? 'Stopped' : 'Failed', url: null, message });
  }

  async stop(idOrPrefix: string): Promise<Deployment> {
    const d = this.get(idOrPrefix);
    if (d.kind !== 'local') throw new ApiError('bad_request', `${d.id} is an InferenceService on ${d.target}; delete it there (kubectl delete inferenceservice -n ${d.namespace} …).`);
    if (!ACTIVE.includes(d.state)) return d;
    this.stopping.add(d.id);
    const prep = this.preparing.get(d.id);
    if (prep) {
      prep.abort();
      for (let i = 0; i < 400 && this.preparing.has(d.id); i++) await new Promise((r) => setTimeout(r, 25));
    }
    if (d.jobId) {
      // Marked first, so every engine watching the job records its end as a stop, not a failure;
      // Stopped only once the job has ended (the process is gone, the port free).
      this.update(d.id, { state: 'Stopping', url: null, message: 'Stopping the server.' });
      await this.deps.jobs.cancel(d.jobId);
    }
    const after = this.repo.deployment(d.id)!;
    if (ACTIVE.includes(after.state)) return this.update(d.id, { state: 'Stopped', url: null, message: 'Stopped.' });
    return after;
  }

  async restart(idOrPrefix: string): Promise<Deployment> {
    let d = this.get(idOrPrefix);
    if (d.kind !== 'local') throw new ApiError('bad_request', `${d.id} runs on a cluster; restart it there.`);
    if (ACTIVE.includes(d.state)) d = await this.stop(d.id);
    const port = d.port && (await portFree(d.port)) ? d.port : await freePort();
    const image = parseInferenceService(d.manifest).metadata.annotations?.['kubeflow-desktop/serving-image'];
    this.update(d.id, { state: 'Preparing', port, url: null, jobId: null, message: 'Restarting: preparing the serving environment.' });
    void this.launch(d.id, image);
    return this.repo.deployment(d.id)!;
  }

  /**
   * After an engine start: servers whose jobs were re-attached are polled again; an interrupted
   * preparation starts over; a stop that an ended engine could not finish is finished; and no
   * stopped or failed deployment keeps a server running.
   */
  async resume(): Promise<void> {
    await this.deps.jobs.ready;
    for (const d of this.repo.deployments()) {
      if (this.closed) return;
      if (d.kind !== 'local') continue;
      if (d.state === 'Preparing') {
        const image = parseInferenceService(d.manifest).metadata.annotations?.['kubeflow-desktop/serving-image'];
        void this.launch(d.id, image);
        continue;
      }
      const job = d.jobId ? await this.deps.jobs.detail(d.jobId).catch(() => null) : null;
      const running = job && (job.status === 'Created' || job.status === 'Running');
      if (!ACTIVE.includes(d.state) || d.state === 'Stopping') {
        if (running) {
          this.stopping.add(d.id);
          await this.deps.jobs.cancel(job.id).catch(() => undefined);
        }
        if (d.state === 'Stopping') this.update(d.id, { state: 'Stopped', url: null, message: 'Stopped.' });
        continue;
      }
      if (!job) {
        this.update(d.id, { state: 'Failed', url: null, message: 'Its serving job is gone; restart it.' });
        continue;
      }
      if (!running) await this.onJob(job);
      else if (d.state === 'Starting') void this.pollReady(d.id);
    }
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    // Environment builds stop (their temp dirs are removed); a started server keeps running as a job.
    for (const a of this.preparing.values()) a.abort();
  }
}

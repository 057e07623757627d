/**
 * The engine: everything the app does, in plain Node. Transports (Electron IPC, web mode, CLI)
 * get `dispatch` and `events` from here and nothing else.
 */
import os from 'node:os';
import path from 'node:path';
import { ApiError } from './api/api-error.js';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatch.js';
import { EventBus } from './api/event-bus.js';
import { lazyHandlers, once } from './api/lazy-handlers.js';
import { clusterMethods } from './api/schemas/cluster.js';
import { experimentMethods } from './api/schemas/experiments.js';
import { imageMethods } from './api/schemas/images.js';
import { FINAL_STATUSES, type BackendId } from './api/schemas/jobs.js';
import { kubernetesMethods } from './api/schemas/kubernetes.js';
import { modelMethods } from './api/schemas/models.js';
import { notebookMethods } from './api/schemas/notebooks.js';
import { pipelineMethods } from './api/schemas/pipelines.js';
import { workspaceMethods } from './api/schemas/workspace.js';
import type { Backend } from './backends/backend.js';
import { createLocalProcessBackend } from './backends/local-process/local-process-backend.js';
import { jobHandlers } from './jobs/job-handlers.js';
import { JobService } from './jobs/job-service.js';
import { OwnerKeeper, type EngineRole, type Ownership } from './ownership/owner-keeper.js';
import { resumeOrchestrators } from './orchestrators.js';
import { appDataDir } from './paths.js';
import { readSettings, writeSettings } from './store/settings-repo.js';
import { openStore, type Store } from './store/store.js';
import { APP_NAME, APP_VERSION } from './version.js';

export interface EngineOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * `app` (default: the desktop app, `kfd serve`, tests) owns the data dir when it can;
   * `background` is the owner `kfd` starts when it leaves jobs running and no app is open;
   * `client` (other `kfd` commands) never owns: it starts jobs and asks, but watches nothing.
   */
  role?: EngineRole;
  /** A client that leaves work for an owner calls this (kfd: start a background owner if none is alive). */
  ensureOwner?: () => void;
  /** A background owner has nothing left to own (another owner took over). */
  onRetire?: (why: string) => void;
}

export interface Engine {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly store: Store;
  readonly jobs: JobService;
  readonly dataDir: string;
  /** Is this engine the data dir's owner? Long-running orchestration asks before it starts a loop (engine/ownership/owner-keeper.ts). */
  readonly ownership: Ownership;
  close(): Promise<void>;
}

/**
 * The engine's parts are made on first use (each area's code is imported then): listing jobs
 * never loads Docker's, Jupyter's or Kubernetes' clients. Jobs and the local-process backend are
 * made at once: the owner re-attaches to running jobs as soon as it starts.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? appDataDir(env);
  const role = options.role ?? 'app';
  const store = openStore(dataDir);
  const events = new EventBus();
  const settings = () => readSettings(store.db);
  const ownership = new OwnerKeeper(store.db, role, options.onRetire ? { onRetire: options.onRetire } : {});
  const dockerOf = async () => (await (await import('./backends/container/engine-connection.js')).connectEngine(env, settings())).docker;

  // A long-lived engine keeps a job supervisor warm, so a job's ranks start at once.
  const localProcess = createLocalProcessBackend({ warmSpare: role !== 'client' });
  const container = once(async () => (await import('./backends/container/container-backend.js')).createContainerBackend({ env, settings, jobsDir: path.join(dataDir, 'jobs') }));
  const targets = once(async () => new (await import('./backends/kubernetes/kubernetes-targets.js')).KubernetesTargets({ db: store.db, env, dataDir, events }));
  const kubernetes = once(async () => (await import('./backends/kubernetes/kubernetes-backend.js')).createKubernetesBackend({ targets: await targets(), images: { docker: dockerOf, env } }));
  const backends: Record<BackendId, () => Promise<Backend>> = { 'local-process': async () => localProcess, container, kubernetes };
  const jobs = new JobService({
    db: store.db,
    events,
    dataDir,
    env,
    settings,
    backend: (id) => backends[id]?.() ?? Promise.resolve(undefined),
    ownership,
    ...(options.ensureOwner ? { ensureOwner: options.ensureOwner } : {}),
  });
  const workspace = once(async () => {
    const [{ WorkspaceService }, { clusterRuntimeCatalog }] = await Promise.all([import('./workspace/workspace-service.js'), import('./backends/kubernetes/runtime-catalog.js')]);
    const kubeTargets = await targets();
    return new WorkspaceService({
      db: store.db,
      events,
      env,
      availableBackends: () => Object.keys(backends) as BackendId[],
      kubeTargets: async () => (await kubeTargets.list(false)).targets,
      runtimes: clusterRuntimeCatalog(kubeTargets),
      containerEngineDown: () => dockerOf().then(() => null, (err: Error) => err.message),
    });
  });
  const notebooks = once(async () => new (await import('./notebooks/notebook-service.js')).NotebookService({ events, dataDir, env, pythonPath: () => settings().pythonPath, runJob: (input) => jobs.run(input) }));
  const cluster = once(async () => new (await import('../local-cluster/service/cluster-service.js')).ClusterService({ dataDir, env, settings, emit: (op) => events.emit('cluster.operation', op) }));

  // The orchestrators over jobs: experiments (trials), pipeline runs (tasks), model servers. Each
  // drives its own work wherever it was started (the app, `kfd serve`, or a `kfd tune|pipeline
  // run|models serve` that follows it); the owner resumes what an engine that died left behind.
  const orchestration = { db: store.db, events, dataDir, env, settings, jobs };
  const pipelines = once(async () => {
    jobs.followOwnedJobs();
    return new (await import('./pipelines/pipeline-service.js')).PipelineService(orchestration);
  });
  const experiments = once(async () => {
    jobs.followOwnedJobs();
    return (await import('./experiments/experiments-wiring.js')).createExperiments({ ...orchestration, targets: await targets() });
  });
  const models = once(async () => {
    jobs.followOwnedJobs();
    return new (await import('./models/models-area.js')).ModelsArea({ ...orchestration, targets: await targets() });
  });
  resumeOrchestrators({
    db: store.db,
    ownership,
    ready: jobs.ready,
    areas: [
      { name: 'pipelines', resume: async () => (await pipelines()).resume() },
      { name: 'experiments', resume: async () => (await experiments()).service.resume() },
      { name: 'models', resume: async () => (await models()).resume() },
    ],
  });

  // Containers of jobs no engine will re-attach (unknown or finished jobs) are removed by the
  // owner once it has re-attached what it could (only where container jobs were ever run). Only
  // a definite "not found" makes a job inactive.
  ownership.subscribe((owner) => {
    if (!owner || !store.db.prepare("SELECT 1 FROM jobs WHERE backend = 'container' LIMIT 1").get()) return;
    void jobs.ready
      .then(async () =>
        (await container()).sweepOrphans((id) =>
          jobs.detail(id).then(
            (job) => !FINAL_STATUSES.includes(job.status),
            (err: unknown) => !(err instanceof ApiError && err.code === 'not_found'),
          ),
        ),
      )
      .catch(() => undefined);
  });
  ownership.start();

  const doctor = () => import('./doctor/doctor.js');
  const handlers: Handlers = {
    version: () => ({ name: APP_NAME, version: APP_VERSION }),
    'app.info': () => ({
      version: APP_VERSION,
      dataDir,
      databasePath: store.path,
      schemaVersion: store.schemaVersion,
      platform: `${os.platform()} ${os.release()} (${os.arch()})`,
      node: process.versions.node,
    }),
    'doctor.list': async () => (await doctor()).listChecks(),
    'doctor.run': async (input) =>
      (await doctor()).runDoctor({ env, settings: settings() }, { ids: input.ids, onResult: (result) => events.emit('doctor.checkFinished', result) }),
    'settings.get': () => settings(),
    'settings.update': (patch) => {
      const next = writeSettings(store.db, patch);
      events.emit('settings.changed', next);
      return next;
    },
    ...jobHandlers(jobs),
    ...lazyHandlers(imageMethods, async () =>
      (await import('./backends/container/image-handlers.js')).imageHandlers({ env, settings, onPullProgress: (p) => events.emit('images.pullProgress', p) }),
    ),
    ...lazyHandlers(workspaceMethods, async () => (await import('./workspace/workspace-handlers.js')).workspaceHandlers(await workspace())),
    ...lazyHandlers(notebookMethods, async () => (await import('./notebooks/notebook-handlers.js')).notebookHandlers(await notebooks())),
    ...lazyHandlers(clusterMethods, async () => (await import('../local-cluster/service/cluster-handlers.js')).clusterHandlers(await cluster())),
    ...lazyHandlers(kubernetesMethods, async () => {
      const [{ kubernetesHandlers }, { PromoteService }, { JobLineage }] = await Promise.all([
        import('./backends/kubernetes/kubernetes-handlers.js'),
        import('./backends/kubernetes/promote-service.js'),
        import('./jobs/job-lineage.js'),
      ]);
      const t = await targets();
      return kubernetesHandlers({ targets: t, promote: new PromoteService({ jobs, targets: t }), lineage: new JobLineage(store.db), jobs, backend: await kubernetes() });
    }),
    ...lazyHandlers(pipelineMethods, async () => (await import('./pipelines/pipeline-handlers.js')).pipelineHandlers({ pipelines: await pipelines(), dataDir, db: store.db, env })),
    ...lazyHandlers(experimentMethods, async () => (await experiments()).handlers),
    ...lazyHandlers(modelMethods, async () => (await models()).handlers()),
  };

  return {
    dispatch: createDispatcher(handlers),
    events,
    store,
    jobs,
    dataDir,
    ownership,
    async close() {
      const made = <T>(part: { made(): Promise<T> | null }) => part.made()?.catch(() => null) ?? Promise.resolve(null);
      await (await made(cluster))?.close(); // cancels a running create (kind's half-made nodes are deleted)
      await (await made(experiments))?.service.close(); // the sweep stops; trial jobs keep running and resume() picks them up
      await (await made(pipelines))?.close();
      (await made(models))?.close(); // environment builds stop; servers keep running as jobs
      await (await made(notebooks))?.close(); // stops the Jupyter server and its kernels
      await (await made(workspace))?.close();
      await jobs.close();
      localProcess.close(); // the warm supervisor (running jobs keep theirs)
      await ownership.close(); // the next owner takes over the running jobs
      store.close();
    },
  };
}

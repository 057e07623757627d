/**
 * The engine: everything the app does, in plain Node. Transports (Electron IPC, web mode, CLI)
 * get `dispatch` and `events` from here and nothing else.
 */
import os from 'node:os';
import path from 'node:path';
import { ApiError } from './api/api-error.js';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatch.js';
import { EventBus } from './api/event-bus.js';
import { FINAL_STATUSES, type BackendId } from './api/schemas/jobs.js';
import { createContainerBackend } from './backends/container/container-backend.js';
import { imageHandlers } from './backends/container/image-handlers.js';
import { createKubernetesBackend } from './backends/kubernetes/kubernetes-backend.js';
import { kubernetesHandlers } from './backends/kubernetes/kubernetes-handlers.js';
import { KubernetesTargets } from './backends/kubernetes/kubernetes-targets.js';
import { clusterRuntimeCatalog } from './backends/kubernetes/runtime-catalog.js';
import { PromoteService } from './backends/kubernetes/promote-service.js';
import { connectEngine } from './backends/container/engine-connection.js';
import { JobLineage } from './jobs/job-lineage.js';
import { createLocalProcessBackend } from './backends/local-process/local-process-backend.js';
import { listChecks, runDoctor } from './doctor/doctor.js';
import { jobHandlers } from './jobs/job-handlers.js';
import { notebookHandlers } from './notebooks/notebook-handlers.js';
import { NotebookService } from './notebooks/notebook-service.js';
import { JobService, type JobServiceDeps } from './jobs/job-service.js';
import { OwnerKeeper, type EngineRole, type Ownership } from './ownership/owner-keeper.js';
import { appDataDir } from './paths.js';
import { readSettings, writeSettings } from './store/settings-repo.js';
import { openStore, type Store } from './store/store.js';
import { APP_NAME, APP_VERSION } from './version.js';
import { workspaceHandlers } from './workspace/workspace-handlers.js';
import { clusterHandlers } from '../local-cluster/service/cluster-handlers.js';
import { ClusterService } from '../local-cluster/service/cluster-service.js';
import { WorkspaceService } from './workspace/workspace-service.js';

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

export function createEngine(options: EngineOptions = {}): Engine {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? appDataDir(env);
  const store = openStore(dataDir);
  const events = new EventBus();
  const ownership = new OwnerKeeper(store.db, options.role ?? 'app', options.onRetire ? { onRetire: options.onRetire } : {});
  const container = createContainerBackend({
    env,
    settings: () => readSettings(store.db),
    jobsDir: path.join(dataDir, 'jobs'),
  });
  const targets = new KubernetesTargets({ db: store.db, env, dataDir, events });
  const kubernetes = createKubernetesBackend({
    targets,
    images: { docker: async () => (await connectEngine(env, readSettings(store.db))).docker, env },
  });
  const role = options.role ?? 'app';
  // A long-lived engine keeps a job supervisor warm, so a job's ranks start at once.
  const localProcess = createLocalProcessBackend({ warmSpare: role !== 'client' });
  const backends: JobServiceDeps['backends'] = { 'local-process': localProcess, container, kubernetes };
  const jobs = new JobService({
    db: store.db,
    events,
    dataDir,
    env,
    settings: () => readSettings(store.db),
    backends,
    ownership,
    ...(options.ensureOwner ? { ensureOwner: options.ensureOwner } : {}),
  });
  const workspace = new WorkspaceService({
    db: store.db,
    events,
    env,
    availableBackends: () => Object.keys(backends) as BackendId[],
    kubeTargets: async () => (await targets.list(false)).targets,
    runtimes: clusterRuntimeCatalog(targets),
    containerEngineDown: () => connectEngine(env, readSettings(store.db)).then(() => null, (err: Error) => err.message),
  });
  const notebooks = new NotebookService({
    events,
    dataDir,
    env,
    pythonPath: () => readSettings(store.db).pythonPath,
    runJob: (input) => jobs.run(input),
  });

  const cluster = new ClusterService({ dataDir, env, settings: () => readSettings(store.db), emit: (op) => events.emit('cluster.operation', op) });

  // Containers of jobs no engine will re-attach (unknown or finished jobs) are removed by the
  // owner once it has re-attached what it could. Only a definite "not found" makes a job inactive.
  ownership.subscribe((owner) => {
    if (!owner) return;
    void jobs.ready
      .then(() =>
        container.sweepOrphans((id) =>
          jobs.detail(id).then(
            (job) => !FINAL_STATUSES.includes(job.status),
            (err: unknown) => !(err instanceof ApiError && err.code === 'not_found'),
          ),
        ),
      )
      .catch(() => undefined);
  });
  ownership.start();

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
    'doctor.list': () => listChecks(),
    'doctor.run': (input) =>
      runDoctor(
        { env, settings: readSettings(store.db) },
        { ids: input.ids, onResult: (result) => events.emit('doctor.checkFinished', result) },
      ),
    'settings.get': () => readSettings(store.db),
    'settings.update': (patch) => {
      const next = writeSettings(store.db, patch);
      events.emit('settings.changed', next);
      return next;
    },
    ...jobHandlers(jobs),
    ...imageHandlers({ env, settings: () => readSettings(store.db), onPullProgress: (p) => events.emit('images.pullProgress', p) }),
    ...workspaceHandlers(workspace),
    ...notebookHandlers(notebooks),
    ...clusterHandlers(cluster),
    ...kubernetesHandlers({ targets, promote: new PromoteService({ jobs, targets }), lineage: new JobLineage(store.db), jobs, backend: kubernetes }),
  };

  return {
    dispatch: createDispatcher(handlers),
    events,
    store,
    jobs,
    dataDir,
    ownership,
    async close() {
      await cluster.close(); // cancels a running create (kind's half-made nodes are deleted)
      await notebooks.close(); // stops the Jupyter server and its kernels
      await workspace.close();
      await jobs.close();
      localProcess.close(); // the warm supervisor (running jobs keep theirs)
      await ownership.close(); // the next owner takes over the running jobs
      store.close();
    },
  };
}

/**
 * The engine: everything the app does, in plain Node. Transports (Electron IPC, web mode, CLI)
 * get `dispatch` and `events` from here and nothing else.
 */
import os from 'node:os';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatch.js';
import { EventBus } from './api/event-bus.js';
import { createLocalProcessBackend } from './backends/local-process/local-process-backend.js';
import { listChecks, runDoctor } from './doctor/doctor.js';
import { jobHandlers } from './jobs/job-handlers.js';
import { JobService } from './jobs/job-service.js';
import { appDataDir } from './paths.js';
import { readSettings, writeSettings } from './store/settings-repo.js';
import { openStore, type Store } from './store/store.js';
import { APP_NAME, APP_VERSION } from './version.js';

export interface EngineOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Engine {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly store: Store;
  readonly jobs: JobService;
  readonly dataDir: string;
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? appDataDir(env);
  const store = openStore(dataDir);
  const events = new EventBus();
  const jobs = new JobService({
    db: store.db,
    events,
    dataDir,
    env,
    settings: () => readSettings(store.db),
    backends: { 'local-process': createLocalProcessBackend() },
  });

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
  };

  return {
    dispatch: createDispatcher(handlers),
    events,
    store,
    jobs,
    dataDir,
    async close() {
      await jobs.close();
      store.close();
    },
  };
}

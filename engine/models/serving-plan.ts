/**
 * How a version is served locally by MLServer (the Open Inference Protocol server KServe itself
 * runs for sklearn/xgboost/lightgbm with protocolVersion v2): the packages of its environment,
 * pinned to the versions the model was trained with; MLServer's settings.json and
 * model-settings.json; and the TrainJob that runs it as a long-running job. Pure.
 */
import { stringify } from 'yaml';
import type { ModelFormat, ModelSignature, TrainingEnv } from '../api/schemas/models.js';

export const MLSERVER_VERSION = '1.7.1';
/** Inside a container the server listens on KServe's ports. */
export const CONTAINER_HTTP_PORT = 8080;
export const CONTAINER_GRPC_PORT = 8081;

interface Runtime {
  /** MLServer's runtime package for the format. */
  package: string;
  implementation: string;
  /** Libraries the model's pickle depends on: pinned to the training versions. */
  libraries: string[];
  /** The library whose major version is KServe's modelFormat.version. */
  formatLibrary: string;
}

const RUNTIMES: Partial<Record<ModelFormat, Runtime>> = {
  sklearn: { package: 'mlserver-sklearn', implementation: 'mlserver_sklearn.SKLearnModel', libraries: ['scikit-learn', 'numpy', 'scipy', 'joblib'], formatLibrary: 'scikit-learn' },
  xgboost: { package: 'mlserver-xgboost', implementation: 'mlserver_xgboost.XGBoostModel', libraries: ['xgboost', 'numpy', 'scipy'], formatLibrary: 'xgboost' },
  lightgbm: { package: 'mlserver-lightgbm', implementation: 'mlserver_lightgbm.LightGBMModel', libraries: ['lightgbm', 'numpy', 'scipy'], formatLibrary: 'lightgbm' },
};

export const SERVABLE_FORMATS = Object.keys(RUNTIMES) as ModelFormat[];

/** Why MLServer cannot serve this format locally, or null. */
export function unservableReason(format: string): string | null {
  if (RUNTIMES[format as ModelFormat]) return null;
  return `MLServer ${MLSERVER_VERSION} has no runtime for ${format} models, so it cannot be served locally; ${SERVABLE_FORMATS.join(', ')} can. On a cluster KServe serves ${format} with its own runtime (promote the InferenceService).`;
}

/** KServe's modelFormat.version: the major version of the format's library at training time ("1" for scikit-learn 1.2.1). */
export function formatVersion(format: ModelFormat, env: TrainingEnv): string {
  const lib = RUNTIMES[format]?.formatLibrary;
  const v = lib ? env.packages[lib] : undefined;
  return v ? (v.split('.')[0] ?? '') : '';
}

export interface ServingRequirements {
  /** pip requirement lines for the serving environment. */
  requirements: string[];
  /** Library → the version it must have (what the model was trained with). */
  pinned: Record<string, string>;
  /** The format's libraries whose training version is unknown: served with what pip picks. */
  unpinned: string[];
  /** Distributions the server itself needs (checked to be present). */
  server: string[];
}

export function servingRequirements(format: ModelFormat, env: TrainingEnv): ServingRequirements {
  const rt = RUNTIMES[format];
  if (!rt) throw new Error(unservableReason(format) ?? `no runtime for ${format}`);
  const pinned: Record<string, string> = {};
  const unpinned: string[] = [];
  for (const lib of rt.libraries) {
    const v = env.packages[lib];
    if (v) pinned[lib] = v;
    else unpinned.push(lib);
  }
  // The pinned versions are the training ones; a library pip cannot provide at that version
  // makes the environment fail to build, naming it, instead of loading the model with another.
  const requirements = [`mlserver==${MLSERVER_VERSION}`, `${rt.package}==${MLSERVER_VERSION}`, ...Object.entries(pinned).map(([k, v]) => `${k}==${v}`), ...unpinned.filter((l) => l === rt.formatLibrary)];
  return { requirements, pinned, unpinned, server: ['mlserver', rt.package] };
}

/** MLServer's server-wide settings.json. */
export function serverSettings(opts: { httpPort: number; grpcPort: number; host: string }): Record<string, unknown> {
  return {
    http_port: opts.httpPort,
    grpc_port: opts.grpcPort,
    host: opts.host,
    // One process, no Prometheus server on a third port: a desktop server, not a fleet.
    parallel_workers: 0,
    metrics_endpoint: null,
    load_models_at_startup: true,
  };
}

/** model-settings.json: the model under `v2Name`, loaded from `uri` (relative to the server folder). */
export function modelSettings(opts: { v2Name: string; version: string; format: ModelFormat; uri: string; signature: ModelSignature }): Record<string, unknown> {
  const rt = RUNTIMES[opts.format];
  if (!rt) throw new Error(unservableReason(opts.format) ?? '');
  return {
    name: opts.v2Name,
    implementation: rt.implementation,
    parameters: { uri: opts.uri, version: opts.version },
    ...(opts.signature.inputs.length ? { inputs: opts.signature.inputs } : {}),
    ...(opts.signature.outputs.length ? { outputs: opts.signature.outputs } : {}),
  };
}

/** The TrainJob that runs the server: one process, `kfd_serve.py` in the server folder. */
export function serverTrainJob(opts: { name: string; python: string; image?: string | undefined; publish?: string | undefined; labels: Record<string, string> }): string {
  const job = {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: {
      name: opts.name,
      labels: opts.labels,
      ...(opts.publish ? { annotations: { 'kubeflow-desktop/publish-ports': opts.publish } } : {}),
    },
    spec: {
      runtimeRef: { name: 'torch-distributed' },
      trainer: {
        ...(opts.image ? { image: opts.image } : {}),
        command: [opts.python, 'kfd_serve.py'],
        numNodes: 1,
        numProcPerNode: 1,
      },
    },
  };
  return `# A model server (MLServer, Open Inference Protocol) run by Kubeflow Desktop as a long-running job.\n${stringify(job, { lineWidth: 0 })}`;
}

/** A TrainJob name (RFC 1035 label, ≤ 63) for a server of `isvc`. */
export function serverJobName(isvc: string): string {
  return `serve-${isvc}`.slice(0, 63).replace(/-+$/, '');
}

export interface VersionMismatch {
  package: string;
  trained: string | null;
  serving: string | null;
  server?: boolean;
}

/** The `kfd-serve:` line kfd_serve.py prints when versions differ → a sentence naming each difference. */
export function describeMismatch(lines: string[]): string | null {
  for (const line of lines) {
    const at = line.indexOf('kfd-serve: ');
    if (at < 0) continue;
    try {
      const info = JSON.parse(line.slice(at + 'kfd-serve: '.length)) as { mismatch?: VersionMismatch[]; python?: string };
      if (!info.mismatch) continue;
      const server = info.mismatch.filter((m) => m.server).map((m) => m.package);
      const libs = info.mismatch.filter((m) => !m.server).map((m) => `${m.package} ${m.trained} (trained) vs ${m.serving ?? 'not installed'} (serving)`);
      const parts: string[] = [];
      if (libs.length) parts.push(`the serving environment's libraries differ from the ones the model was trained with: ${libs.join('; ')}`);
      if (server.length) parts.push(`it lacks ${server.join(', ')}`);
      return `Not served: ${parts.join(', and ')} (Python ${info.python ?? '?'}). Serve it where those versions are installed (the local-process backend installs them), or retrain with the serving versions.`;
    } catch {
      /* not ours */
    }
  }
  return null;
}

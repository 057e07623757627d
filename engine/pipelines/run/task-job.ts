/**
 * One executor task as a job of ours: the TrainJob our backends run, built from the task's
 * container spec with every placeholder resolved. Lightweight Python components run kfp's own
 * `kfp.dsl.executor_main` on their source, with kfp's runtime on PYTHONPATH (installed without
 * dependencies, as kfp's command does) and packages_to_install as the job's managed environment
 * (local processes) or pip in the image (containers). Paths: local processes see the host's; a
 * container or pod sees the pipeline root at /workspace. Pure.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { BackendId } from '../../api/schemas/jobs.js';
import { shellQuote } from '../../jobs/trainjob/shell-words.js';
import type { ContainerExecutor, ContainerResources } from '../spec/pipeline-spec.js';
import type { StartRequest } from './dag-evaluator.js';
import { buildExecutorInput, taskRootOf, type ExecutorInput } from './executor-input.js';
import { EXECUTOR_MODULE, parseLightweight } from './lightweight.js';
import { resolveCommand } from './placeholders.js';

export const WORKSPACE_MOUNT = '/workspace';
export const COMPONENT_FILE = 'ephemeral_component.py';
export const RUNTIME_DIR = '.kfp-runtime';
export const PACKAGES_ANNOTATION = 'kubeflow-desktop/packages';
export const SYSTEM_SITE_ANNOTATION = 'kubeflow-desktop/system-site-packages';
/** The TrainJob runtime tasks name (a one-node torch runtime runs any command on a cluster). */
export const TASK_RUNTIME = 'torch-distributed';

export interface TaskJobInput {
  runId: string;
  /** pipelineInfo.name; the run's folder is `<pipelineRoot>/<pipelineName>/<runId>`. */
  pipelineName: string;
  pipelineRoot: string;
  start: StartRequest;
  backend: BackendId;
  createTime: string;
  /** The task's attempt (retries), for its id. */
  attempt: number;
}

export interface TaskJobPlan {
  /** The TrainJob manifest (YAML). */
  spec: string;
  workspace: string;
  taskRoot: string;
  executorInput: ExecutorInput;
  /** The kfp release whose runtime must be at `<pipelineRoot>/.kfp-runtime/<version>` first. */
  kfpRuntime: string | null;
  /** Files to write before the job starts (the component's source). */
  files: { path: string; content: string }[];
  /** What runs differently from a KFP cluster, for the task's page. */
  notes: string[];
  /** Maps a URI the process wrote back to the host (containers write /workspace/…). */
  hostPathOf: (uri: string) => string;
}

export class TaskPlanError extends Error {}

export function runRootOf(pipelineRoot: string, pipelineName: string, runId: string): string {
  return path.join(pipelineRoot, slug(pipelineName) || 'pipeline', runId);
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/\[(\d+)\]/g, '-$1').replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/** An RFC 1035 name (TrainJob metadata.name) for a task path. */
export function taskJobName(taskPath: string): string {
  let name = slug(taskPath) || 'task';
  if (!/^[a-z]/.test(name)) name = `t-${name}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

export function planTaskJob(input: TaskJobInput): TaskJobPlan {
  const { start, pipelineRoot } = input;
  const container = start.executor.container;
  if (!container) throw new TaskPlanError(`${start.path}: the executor ${start.executorLabel} has no container to run.`);
  const runRoot = runRootOf(pipelineRoot, input.pipelineName, input.runId);
  const taskRoot = taskRootOf(runRoot, start.path);
  const local = input.backend === 'local-process';
  const notes: string[] = [];
  const inside = (hostPath: string): string => {
    if (local) return hostPath;
    const rel = path.relative(pipelineRoot, hostPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      notes.push(`${hostPath} is outside the pipeline root, so the container cannot see it.`);
      return hostPath;
    }
    return path.posix.join(WORKSPACE_MOUNT, ...rel.split(path.sep));
  };
  const hostPathOf = (uri: string): string => {
    if (local || !(uri === WORKSPACE_MOUNT || uri.startsWith(`${WORKSPACE_MOUNT}/`))) return uri;
    return path.join(pipelineRoot, ...uri.slice(WORKSPACE_MOUNT.length + 1).split('/'));
  };
  const executorInput = buildExecutorInput(start.component, start.inputs, taskRoot, inside);
  const resolve = (parts: readonly string[]) =>
    resolveCommand(parts, {
      executorInput,
      pipelineJobName: `${input.pipelineName}-${input.runId}`,
      pipelineJobId: input.runId,
      taskName: start.name,
      taskId: `${input.runId}-${slug(start.path)}-${input.attempt}`,
      pipelineRoot: inside(pipelineRoot),
      createTime: input.createTime,
      pathOf: (uri) => uri,
    });

  const env: { name: string; value: string }[] = (container.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' }));
  const annotations: Record<string, string> = { 'kubeflow-desktop/pipeline-run': input.runId, 'kubeflow-desktop/pipeline-task': start.path };
  const files: TaskJobPlan['files'] = [];
  let command: string[];
  let kfpRuntime: string | null = null;
  const lightweight = parseLightweight(container.command ?? [], container.args ?? []);
  if (lightweight) {
    kfpRuntime = lightweight.kfpVersion;
    if (!kfpRuntime) throw new TaskPlanError(`${start.path}: the component's command installs no kfp==<version>, so its runtime is unknown; recompile it with kfp 2.x.`);
    const moduleFile = path.join(taskRoot, COMPONENT_FILE);
    files.push({ path: moduleFile, content: lightweight.source });
    const executorArgv = ['-m', EXECUTOR_MODULE, '--component_module_path', inside(moduleFile), ...resolve(lightweight.executorArgs)];
    env.push({ name: '_KFP_RUNTIME', value: 'true' }, { name: 'PYTHONPATH', value: inside(path.join(pipelineRoot, RUNTIME_DIR, kfpRuntime)) });
    if (lightweight.indexUrls.length) notes.push(`pip_index_urls (${lightweight.indexUrls.join(', ')}) are not used here; pip's own configuration (PIP_INDEX_URL, KFD_WHEELHOUSE) applies.`);
    if (local) {
      command = ['python3', ...executorArgv];
      if (lightweight.packages.length) {
        annotations[PACKAGES_ANNOTATION] = lightweight.packages.join(' ');
        // As kfp.local's SubprocessRunner installs into the running Python: what it already has is reused.
        annotations[SYSTEM_SITE_ANNOTATION] = 'true';
      }
    } else if (lightweight.packages.length) {
      const pip = `PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location ${lightweight.packages.map(shellQuote).join(' ')}`;
      command = ['sh', '-ec', `${pip}\nexec python3 "$@"`, 'sh', ...executorArgv];
    } else {
      command = ['python3', ...executorArgv];
    }
  } else {
    command = resolve([...(container.command ?? []), ...(container.args ?? [])]);
    if (command.length === 0) throw new TaskPlanError(`${start.path}: the executor ${start.executorLabel} has no command or args; locally the image's entrypoint is not known, so give the component a command.`);
  }

  // Local processes run on this machine's Python: a lightweight component's image (python:3.11 by
  // default) is not a choice the user made for this run, so it is not carried (and not warned about).
  const trainer: Record<string, unknown> = { ...(local && lightweight ? {} : { image: container.image }), command, numNodes: 1, numProcPerNode: 1 };
  if (env.length) trainer.env = env;
  const resources = resourcesOf(container.resources, notes);
  if (resources) trainer.resourcesPerNode = resources;
  const job = {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: { name: taskJobName(start.path), annotations },
    spec: { runtimeRef: { name: TASK_RUNTIME }, trainer },
  };
  return { spec: stringify(job, { lineWidth: 0 }), workspace: local ? taskRoot : pipelineRoot, taskRoot, executorInput, kfpRuntime, files, notes, hostPathOf };
}

/** KFP's resources (set_cpu_limit, set_memory_request, set_accelerator_type …) as resourcesPerNode. */
export function resourcesOf(r: ContainerResources | undefined, notes: string[]): { limits?: Record<string, string>; requests?: Record<string, string> } | null {
  if (!r) return null;
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const cpuLimit = r.resourceCpuLimit ?? (r.cpuLimit !== undefined ? String(r.cpuLimit) : undefined);
  const memLimit = r.resourceMemoryLimit ?? (r.memoryLimit !== undefined ? `${r.memoryLimit}G` : undefined);
  const cpuRequest = r.resourceCpuRequest ?? (r.cpuRequest !== undefined ? String(r.cpuRequest) : undefined);
  const memRequest = r.resourceMemoryRequest ?? (r.memoryRequest !== undefined ? `${r.memoryRequest}G` : undefined);
  if (cpuLimit) limits.cpu = cpuLimit;
  if (memLimit) limits.memory = memLimit;
  if (cpuRequest) requests.cpu = cpuRequest;
  if (memRequest) requests.memory = memRequest;
  const acc = r.accelerator;
  const count = acc?.resourceCount ?? (acc?.count !== undefined ? String(acc.count) : undefined);
  const type = acc?.resourceType ?? acc?.type;
  if (count && type) {
    const resource = type.includes('/') ? type : 'nvidia.com/gpu';
    if (!type.includes('/')) notes.push(`accelerator type ${type} is asked for as ${resource}.`);
    limits[resource] = count;
  }
  if (!Object.keys(limits).length && !Object.keys(requests).length) return null;
  return { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
}

export type { ContainerExecutor };

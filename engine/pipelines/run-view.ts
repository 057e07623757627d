/** A run as the API shows it: the evaluator's view of every node, with what the store adds (jobs, cache, notes). Pure. */
import type { PipelineRunDetail, PipelineRunSummary, PipelineTask } from '../api/schemas/pipelines.js';
import type { NodeView } from './run/dag-evaluator.js';
import type { StoredRun, StoredTask } from './store/pipeline-repo.js';

export function runSummary(run: StoredRun, tasks: StoredTask[]): PipelineRunSummary {
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  for (const t of tasks) if (t.cached) counts.cached = (counts.cached ?? 0) + 1;
  return {
    id: run.id,
    name: run.name,
    pipelineName: run.pipelineName,
    file: run.file,
    status: run.status,
    message: run.message,
    backend: run.backend,
    parameters: run.parameters,
    rerunOf: run.rerunOf,
    enableCache: run.enableCache,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    counts,
  };
}

export function runDetail(run: StoredRun, tasks: StoredTask[], nodes: NodeView[]): PipelineRunDetail {
  const byPath = new Map(tasks.map((t) => [t.path, t]));
  const list: PipelineTask[] = nodes.map((n) => {
    const t = byPath.get(n.path);
    return {
      path: n.path,
      name: n.name,
      parent: n.parent,
      kind: n.kind,
      component: n.component,
      status: n.status,
      cached: t?.cached ?? false,
      jobId: t?.jobId ?? null,
      attempt: t?.attempt ?? 0,
      message: t?.message ?? n.message,
      notes: t?.notes ?? [],
      upstream: n.upstream,
      inputs: t?.inputs ?? n.inputs,
      outputs: t?.outputs ?? n.outputs,
      startedAt: t?.startedAt ?? null,
      finishedAt: t?.finishedAt ?? null,
    };
  });
  return { ...runSummary(run, tasks), tasks: list, outputs: run.outputs, spec: run.spec, warnings: [] };
}

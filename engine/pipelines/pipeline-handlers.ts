/** The pipelines.* API methods, mapped onto the pipeline service. */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../api/api-error.js';
import type { Handlers } from '../api/dispatch.js';
import type { pipelineMethods } from '../api/schemas/pipelines.js';
import { previewArtifact } from './artifact-preview.js';
import { compilePipeline } from './kfp/compile-pipeline.js';
import { remoteHandlers } from './kfp-remote/remote-handlers.js';
import { loadPipeline } from './load-pipeline.js';
import type { PipelineService } from './pipeline-service.js';

export function pipelineHandlers({ pipelines, dataDir, db, env }: { pipelines: PipelineService; dataDir: string; db: Database.Database; env: NodeJS.ProcessEnv }): Pick<Handlers, keyof typeof pipelineMethods> {
  return {
    ...remoteHandlers({ db, dataDir, env, pipelines }),
    'pipelines.run': (input) => pipelines.submit(input),
    'pipelines.list': (input) => pipelines.list(input.limit),
    'pipelines.get': (input) => pipelines.detail(input.id),
    'pipelines.cancel': (input) => pipelines.cancel(input.id),
    'pipelines.rerun': (input) => pipelines.rerun(input.id),
    'pipelines.compile': async (input) => {
      const r = await compilePipeline(input.path, { ...pipelines.kfpOptions(), ...(input.output ? { output: input.output } : {}), ...(input.pipeline ? { pipeline: input.pipeline } : {}) });
      return { output: r.output, pipeline: r.pipeline, candidates: r.candidates };
    },
    'pipelines.inspect': async (input) => {
      const loaded = await loadPipeline(input.path, { ...pipelines.kfpOptions(), pipeline: input.pipeline, compiledDir: path.join(dataDir, 'pipelines', 'compiled') });
      const defs = loaded.spec.root.inputDefinitions?.parameters ?? {};
      const count = (tasks: Record<string, unknown> | undefined): number => Object.keys(tasks ?? {}).length;
      return {
        file: loaded.source,
        name: loaded.spec.pipelineInfo.displayName ?? loaded.spec.pipelineInfo.name,
        description: loaded.spec.pipelineInfo.description ?? null,
        parameters: Object.entries(defs).map(([name, d]) => ({
          name,
          type: d.parameterType ?? 'STRING',
          ...(d.defaultValue !== undefined ? { defaultValue: d.defaultValue } : {}),
          optional: Boolean(d.isOptional || d.defaultValue !== undefined),
          ...(d.description ? { description: d.description } : {}),
        })),
        tasks: count(loaded.spec.root.dag?.tasks),
        warnings: loaded.warnings,
      };
    },
    'pipelines.artifact': async (input) => {
      const run = pipelines.detail(input.id);
      const task = run.tasks.find((t) => t.path === input.task);
      if (!task) throw new ApiError('not_found', `Run ${run.id} has no task ${input.task}.`);
      const list = task[input.side].artifacts[input.name];
      const artifact = list?.[input.index];
      if (!artifact) throw new ApiError('not_found', `Task ${input.task} has no ${input.side === 'outputs' ? 'output' : 'input'} artifact ${input.name}${input.index ? `[${input.index}]` : ''}.`);
      return previewArtifact({ ...artifact, type: artifact.type, metadata: artifact.metadata });
    },
  };
}

/** A pipeline file from a path: compiled YAML/JSON as it is, a .py compiled with kfp first. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import { compilePipeline } from './kfp/compile-pipeline.js';
import type { KfpEnvOptions } from './kfp/kfp-env.js';
import { parsePipelineText } from './spec/parse-pipeline.js';
import type { LoadedPipeline } from './spec/pipeline-spec.js';

export async function loadPipeline(file: string, opts: KfpEnvOptions & { pipeline?: string | undefined; compiledDir: string }): Promise<LoadedPipeline & { source: string }> {
  const abs = path.resolve(file);
  if (abs.endsWith('.py')) {
    await mkdir(opts.compiledDir, { recursive: true });
    const output = path.join(opts.compiledDir, `${path.basename(abs, '.py')}-${Date.now().toString(36)}.yaml`);
    const compiled = await compilePipeline(abs, { ...opts, output, ...(opts.pipeline ? { pipeline: opts.pipeline } : {}) });
    return { ...parsePipelineText(compiled.yaml, abs), source: abs };
  }
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch {
    throw new ApiError('not_found', `${abs} does not exist or cannot be read. Give a compiled pipeline (.yaml) or a Python file with a @dsl.pipeline.`);
  }
  return { ...parsePipelineText(text, abs), source: abs };
}

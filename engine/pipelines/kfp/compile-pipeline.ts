/**
 * `kfd pipeline compile <file.py>`: kfp's own compiler on the user's pipeline module, in the
 * managed kfp environment. The module is imported (its code runs, as `python file.py` would) and
 * the pipeline — the one named, the only one, or the last one defined — is compiled to YAML.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/api-error.js';
import { runStreamed } from '../../jobs/python-env/run-streamed.js';
import { ensureKfpEnv, type KfpEnvOptions } from './kfp-env.js';

const COMPILE_SCRIPT = `
import importlib.util, json, os, sys, warnings
warnings.simplefilter('ignore', FutureWarning)
from kfp import compiler
from kfp.dsl import graph_component
src, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.dirname(os.path.abspath(src)))
spec = importlib.util.spec_from_file_location('kfd_pipeline_module', src)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
found = [k for k, v in vars(module).items() if isinstance(v, graph_component.GraphComponent)]
if not found:
    print('KFD-ERROR no @dsl.pipeline function in ' + src, file=sys.stderr); sys.exit(3)
if wanted and wanted not in found:
    print('KFD-ERROR no pipeline named ' + wanted + '; the file has ' + ', '.join(found), file=sys.stderr); sys.exit(3)
name = wanted or found[-1]
compiler.Compiler().compile(getattr(module, name), out)
print('KFD-RESULT ' + json.dumps({'pipeline': name, 'candidates': found}))
`;

export interface CompileResult {
  output: string;
  pipeline: string;
  candidates: string[];
  yaml: string;
}

export async function compilePipeline(file: string, opts: KfpEnvOptions & { output?: string; pipeline?: string; onLine?: (line: string) => void }): Promise<CompileResult> {
  const src = path.resolve(file);
  if (!(await readFile(src, 'utf8').then(() => true, () => false))) throw new ApiError('not_found', `${src} does not exist or cannot be read.`);
  const output = path.resolve(opts.output ?? src.replace(/\.py$/, '') + '.yaml');
  const env = await ensureKfpEnv(opts);
  const run = await runStreamed(env.python, ['-c', COMPILE_SCRIPT, src, output, opts.pipeline ?? ''], { cwd: path.dirname(src), env: { ...opts.env, PYTHONUNBUFFERED: '1' }, signal: opts.signal, onLine: opts.onLine });
  if (run.aborted) throw new ApiError('cancelled', 'Compiling was cancelled.');
  const marked = run.tail.find((l) => l.startsWith('KFD-ERROR '));
  if (marked) throw new ApiError('bad_request', `${src}: ${marked.slice('KFD-ERROR '.length)}.`);
  if (run.exitCode !== 0) {
    const trace = run.tail.filter((l) => !/FutureWarning|^\s*@dsl\./.test(l)).slice(-8).join('\n');
    throw new ApiError('bad_request', `kfp could not compile ${src}:\n${trace}`);
  }
  const result = JSON.parse(run.tail.find((l) => l.startsWith('KFD-RESULT '))!.slice('KFD-RESULT '.length)) as { pipeline: string; candidates: string[] };
  return { output, ...result, yaml: await readFile(output, 'utf8') };
}

/**
 * Reading pipeline specs as kfp 2.17 writes them: every fixture is compiled by real kfp in the
 * test; broken variants are made from that output, so the errors are checked on real files.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makeTempDir, reportMissingPart } from '../../test-support/real-parts.js';
import { compileFixture, kfpUnavailable } from '../test-support/kfp-fixtures.js';
import { parsePipelineText, PipelineSpecError } from './parse-pipeline.js';

const missing = await kfpUnavailable();
if (missing) reportMissingPart('kfp (PyPI)', missing);

const SOURCE = `
from typing import List
from kfp import dsl
from kfp.dsl import Dataset, Input, Output

@dsl.component
def make(n: int, d: Output[Dataset]):
    open(d.path, 'w').write(str(n))

@dsl.component
def use(d: Input[Dataset]) -> int:
    return int(open(d.path).read())

@dsl.pipeline(name='inner')
def inner(n: int) -> int:
    m = make(n=n)
    return use(d=m.outputs['d']).output

@dsl.pipeline(name='outer', description='nested and looped')
def outer(items: List[int] = [1, 2], flag: bool = True):
    with dsl.ParallelFor(items, parallelism=1) as i:
        with dsl.If(flag == True):
            inner(n=i)
`;

describe.runIf(!missing)('pipeline spec (compiled by kfp)', () => {
  let text = '';
  let file = '';
  beforeAll(async () => {
    const dir = makeTempDir('pipelines', 'spec');
    file = await compileFixture(dir, 'outer', SOURCE);
    text = fs.readFileSync(file, 'utf8');
  }, 600_000);

  it('reads what kfp wrote: schema 2.1.0, root inputs, nested DAGs, the loop and its condition', () => {
    const { spec, warnings } = parsePipelineText(text, file);
    expect(spec.schemaVersion).toBe('2.1.0');
    expect(spec.sdkVersion).toBe('kfp-2.17.3');
    expect(spec.pipelineInfo).toMatchObject({ name: 'outer', description: 'nested and looped' });
    expect(spec.root.inputDefinitions?.parameters?.items).toMatchObject({ parameterType: 'LIST', defaultValue: [1, 2] });
    const loop = Object.values(spec.root.dag!.tasks!).find((t) => t.parameterIterator)!;
    expect(loop.iteratorPolicy?.parallelismLimit).toBe(1);
    expect(warnings).toEqual([]);
  });

  const broken = (edit: (doc: Record<string, any>) => void) => {
    const doc = parse(text) as Record<string, any>;
    edit(doc);
    try {
      parsePipelineText(stringify(doc), file);
    } catch (err) {
      expect(err).toBeInstanceOf(PipelineSpecError);
      return (err as PipelineSpecError).message;
    }
    throw new Error('expected an error');
  };

  it('names the file, the path and the line of what is wrong', () => {
    expect(broken((d) => { d.schemaVersion = '3.0.0'; })).toMatch(/outer\.yaml is not a pipeline.*\n  schemaVersion \(line \d+\): 3\.0\.0 is not supported/);
    expect(broken((d) => { d.components['comp-make'].executorLabel = 'exec-gone'; })).toContain('components.comp-make.executorLabel');
    expect(broken((d) => { d.components['comp-make'].executorLabel = 'exec-gone'; })).toContain('names the executor "exec-gone", which deploymentSpec.executors does not define');
    expect(broken((d) => { delete d.components['comp-use']; })).toMatch(/componentRef\.name \(line \d+\): names the component "comp-use", which components does not define/);
    expect(broken((d) => { delete d.pipelineInfo; })).toMatch(/pipelineInfo\.name( \(line \d+\))?: missing/);
    expect(broken((d) => { d.deploymentSpec.executors['exec-make'] = { customJob: {} }; })).toContain('custom jobs (Google Cloud Vertex AI) cannot run locally');
    expect(broken((d) => {
      const tasks = d.components['comp-inner'].dag.tasks;
      tasks.make.dependentTasks = ['use'];
    })).toMatch(/cycle: (make → use → make|use → make → use)/);
  });

  it('refuses YAML that is not a pipeline spec, saying what it is', () => {
    expect(() => parsePipelineText('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n', 'old.yaml')).toThrow(/KFP v1 \(Argo Workflow\) pipeline; compile it with kfp 2\.x/);
    expect(() => parsePipelineText('a: [1, 2\n', 'bad.yaml')).toThrow(/bad\.yaml is not a pipeline/);
  });
});

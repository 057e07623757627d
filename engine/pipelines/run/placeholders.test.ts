import { describe, expect, it } from 'vitest';
import type { ExecutorInput } from './executor-input.js';
import { PlaceholderError, resolveCommand } from './placeholders.js';

const executorInput: ExecutorInput = {
  inputs: {
    parameterValues: { msg: 'hello', n: 3, cfg: { a: 1 } },
    artifacts: { data: { artifacts: [{ name: 'data', type: { schemaTitle: 'system.Dataset' }, uri: '/root/p/r/make/data', metadata: { rows: 5 } }] } },
  },
  outputs: {
    parameters: { out: { outputFile: '/root/p/r/t/out' } },
    artifacts: { model: { artifacts: [{ name: 'model', type: { schemaTitle: 'system.Model' }, uri: '/root/p/r/t/model', metadata: {} }] } },
    outputFile: '/root/p/r/t/executor_output.json',
  },
};
const ctx = { executorInput, pipelineJobName: 'flow-r1', pipelineJobId: 'r1', taskName: 't', taskId: 'r1-t-0', pipelineRoot: '/root', createTime: '2026-01-01T00:00:00.000Z' };

describe('placeholders', () => {
  it('resolves the executor input and the input/output placeholders as KFP does', () => {
    const cmd = resolveCommand(
      ['{{$}}', "{{$.inputs.parameters['msg']}}", "n={{$.inputs.parameters['n']}}", "{{$.inputs.parameters['cfg']}}", "{{$.inputs.artifacts['data'].path}}", "{{$.inputs.artifacts['data'].uri}}", "{{$.inputs.artifacts['data'].metadata['rows']}}", "{{$.outputs.artifacts['model'].path}}", "{{$.outputs.parameters['out'].output_file}}", '{{$.outputs.output_file}}', '{{$.pipeline_job_name}}/{{$.pipeline_task_name}}/{{$.pipeline_root}}'],
      ctx,
    );
    expect(JSON.parse(cmd[0]!)).toEqual(executorInput);
    expect(cmd.slice(1)).toEqual(['hello', 'n=3', '{"a":1}', '/root/p/r/make/data', '/root/p/r/make/data', '5', '/root/p/r/t/model', '/root/p/r/t/out', '/root/p/r/t/executor_output.json', 'flow-r1/t//root']);
  });
  it('expands Concat and IfPresent, dropping an absent optional input', () => {
    const concat = JSON.stringify({ Concat: ['--msg=', "{{$.inputs.parameters['msg']}}"] });
    const present = JSON.stringify({ IfPresent: { InputName: 'msg', Then: ['--msg', "{{$.inputs.parameters['msg']}}"] } });
    const absent = JSON.stringify({ IfPresent: { InputName: 'nope', Then: ['--nope', 'x'], Else: '--default' } });
    const gone = JSON.stringify({ IfPresent: { InputName: 'nope', Then: ['--nope'] } });
    expect(resolveCommand(['run', concat, present, absent, gone, 'end'], ctx)).toEqual(['run', '--msg=hello', '--msg', 'hello', '--default', 'end']);
  });
  it('refuses placeholders it does not know, naming them', () => {
    expect(() => resolveCommand(["{{$.outputs.parameters['nope'].output_file}}"], ctx)).toThrow(PlaceholderError);
    expect(() => resolveCommand(['{{$.something_else}}'], ctx)).toThrow(/\{\{\$\.something_else\}\} is not a placeholder/);
  });
});

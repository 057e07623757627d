import { describe, expect, it } from 'vitest';
import { CelError, evalCondition, evalSelector } from './cel.js';

describe('CEL as kfp writes it', () => {
  const p = { 'pipelinechannel--consume-Output': 4, 'pipelinechannel--flip-Output': 'heads', 'pipelinechannel--t': true, 'pipelinechannel--ratio': 0.5, s: '7' };
  it('evaluates the condition forms of dsl.If / Elif / Else', () => {
    expect(evalCondition("int(inputs.parameter_values['pipelinechannel--consume-Output']) > 3", p)).toBe(true);
    expect(evalCondition("!(int(inputs.parameter_values['pipelinechannel--consume-Output']) > 3) && int(inputs.parameter_values['pipelinechannel--consume-Output']) == 2", p)).toBe(false);
    expect(evalCondition("inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'", p)).toBe(true);
    expect(evalCondition("!(inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads')", p)).toBe(false);
    expect(evalCondition("inputs.parameter_values['pipelinechannel--t'] == true", p)).toBe(true);
    expect(evalCondition("inputs.parameter_values['pipelinechannel--ratio'] < 0.7", p)).toBe(true);
    expect(evalCondition("int(inputs.parameter_values['s']) >= 7 || false", p)).toBe(true);
    expect(evalCondition("double(inputs.parameter_values['s']) != 7.5", p)).toBe(true);
  });
  it('reads ParallelFor item fields with parameterExpressionSelector', () => {
    expect(evalSelector('parseJson(string_value)["a"]', { a: 1.5 })).toBe(1.5);
    expect(evalSelector('parseJson(string_value)["a"]', '{"a": "x"}')).toBe('x');
  });
  it('says what is wrong with a condition it cannot evaluate', () => {
    expect(() => evalCondition("inputs.parameter_values['missing'] == 1", p)).toThrow(/no key "missing"/);
    expect(() => evalCondition("int(inputs.parameter_values['pipelinechannel--flip-Output']) > 1", p)).toThrow(CelError);
    expect(() => evalCondition('1 +', p)).toThrow(/expected more at the end/);
    expect(() => evalCondition("inputs.parameter_values['s']", p)).toThrow(/not true or false/);
  });
});

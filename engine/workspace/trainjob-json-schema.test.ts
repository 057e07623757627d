import { describe, expect, it } from 'vitest';
import { TRAINER_RUNTIMES } from './runtimes.js';
import { baseTrainJobJsonSchema, trainJobJsonSchema } from './trainjob-json-schema.js';

type Node = Record<string, any>;
const at = (schema: Node, ...keys: string[]): Node => keys.reduce((n, k) => n.properties[k], schema);

describe('TrainJob JSON schema for the editor', () => {
  const schema = trainJobJsonSchema(TRAINER_RUNTIMES) as Node;

  it('is draft-7 and describes fields with their docs plus what the engine expects', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const numNodes = at(schema, 'spec', 'trainer', 'numNodes');
    expect(numNodes.type).toBe('integer');
    expect(numNodes.minimum).toBe(1);
    expect(numNodes.description).toContain('Number of nodes');
    expect(numNodes.description).toContain('Expected: a whole number ≥ 1.');
    expect(numNodes.markdownDescription).toContain('Set it to the number of nodes');
    expect(at(schema, 'kind').const).toBe('TrainJob');
  });

  it('leaves no private meta keys behind', () => {
    const text = JSON.stringify(schema);
    expect(text).not.toContain('"expected"');
    expect(text).not.toContain('"hint"');
  });

  it('does not suggest fields the API server fills in', () => {
    expect(at(schema, 'metadata', 'uid').doNotSuggest).toBe(true);
    expect(at(schema, 'status').doNotSuggest).toBe(true);
    expect(at(schema, 'metadata', 'name').doNotSuggest).toBeUndefined();
  });

  it('offers the target\'s runtime names, each with a description', () => {
    const name = at(schema, 'spec', 'runtimeRef', 'name');
    expect(name.enum).toEqual(TRAINER_RUNTIMES.map((r) => r.name));
    expect(name.enum).toEqual(expect.arrayContaining(['torch-distributed', 'deepspeed-distributed', 'mlx-distributed', 'torchtune-llama3.2-1b']));
    expect(name.markdownEnumDescriptions).toHaveLength(name.enum.length);
    // Each call gets its own copy: the cached base is untouched.
    expect(at(baseTrainJobJsonSchema() as Node, 'spec', 'runtimeRef', 'name').enum).toBeUndefined();
    expect(at(trainJobJsonSchema([]) as Node, 'spec', 'runtimeRef', 'name').enum).toBeUndefined();
  });
});

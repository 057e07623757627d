/**
 * The Experiment JSON schema for the editor (monaco-yaml hovers and completion), generated from
 * the zod schema the engine validates with; trialSpec gets the TrainJob schema trainjob.yaml
 * uses. Validation itself is the engine's (`experiments.validate`), with its exact messages.
 */
import { z } from 'zod';
import { baseTrainJobJsonSchema } from '../workspace/trainjob-json-schema.js';
import { experimentSchema } from './experiment-schema.js';

type JsonSchema = Record<string, unknown>;
let cached: JsonSchema | null = null;

function describe(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const n = node as JsonSchema;
  if (typeof n.expected === 'string') {
    n.description = `Expected: ${n.expected}.${typeof n.hint === 'string' ? ` ${n.hint}` : ''}`;
    delete n.expected;
    delete n.hint;
  }
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) v.forEach(describe);
    else describe(v);
  }
}

export function experimentJsonSchema(): JsonSchema {
  if (!cached) {
    const schema = z.toJSONSchema(experimentSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    describe(schema);
    const tt = ((schema.properties as JsonSchema).spec as { properties: JsonSchema }).properties.trialTemplate as { properties: JsonSchema };
    tt.properties.trialSpec = structuredClone(baseTrainJobJsonSchema());
    cached = schema;
  }
  return structuredClone(cached);
}

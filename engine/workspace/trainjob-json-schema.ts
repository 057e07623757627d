/**
 * The TrainJob JSON schema the editor's YAML support (monaco-yaml) uses for hovers and
 * completion, generated from the same zod schema the engine validates with, so the two cannot
 * disagree. Each field's description is its doc (field-docs.ts) plus the schema's own
 * "expected …" text and hint; runtime names of the chosen target become completion values.
 * (Validation itself stays with the engine: `workspace.validateJob` gives its exact messages.)
 */
import { z } from 'zod';
import type { RuntimeInfo } from '../api/schemas/workspace.js';
import { trainJobSchema } from '../jobs/trainjob/trainjob-schema.js';
import { FIELD_DOCS } from './field-docs.js';

type JsonSchema = Record<string, unknown>;

// Filled in by the API server or kubectl; allowed in the file but not worth suggesting.
const NOT_SUGGESTED = /^(metadata\.(uid|resourceVersion|generation|creationTimestamp|deletionTimestamp|deletionGracePeriodSeconds|ownerReferences|finalizers|managedFields|selfLink|generateName)|status)$/;

let base: JsonSchema | null = null;

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeNode(node: JsonSchema, at: string): void {
  const expected = typeof node.expected === 'string' ? node.expected : undefined;
  const hint = typeof node.hint === 'string' ? node.hint : undefined;
  delete node.expected;
  delete node.hint;
  const doc = FIELD_DOCS[at];
  const parts = [doc, expected ? `Expected: ${expected}.` : undefined, hint].filter((p): p is string => !!p);
  if (parts.length > 0) {
    node.description = parts.join(' ');
    node.markdownDescription = parts.join('\n\n');
  }
  if (NOT_SUGGESTED.test(at)) node.doNotSuggest = true;
}

/** Walks properties, list items and map values, giving each node its path ("spec.trainer.env[]"). */
function decorate(node: JsonSchema, at: string): void {
  describeNode(node, at);
  if (isObject(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      if (isObject(child)) decorate(child, at ? `${at}.${key}` : key);
    }
  }
  if (isObject(node.items)) decorate(node.items, `${at}[]`);
  if (isObject(node.additionalProperties)) decorate(node.additionalProperties, `${at}.*`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) list.filter(isObject).forEach((s) => decorate(s, at));
  }
}

/** The decorated schema without runtime names (computed once). */
export function baseTrainJobJsonSchema(): JsonSchema {
  if (!base) {
    const schema = z.toJSONSchema(trainJobSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    decorate(schema, '');
    base = schema;
  }
  return base;
}

function nodeAt(schema: JsonSchema, keys: string[]): JsonSchema | undefined {
  let node: unknown = schema;
  for (const key of keys) node = isObject(node) && isObject(node.properties) ? node.properties[key] : undefined;
  return isObject(node) ? node : undefined;
}

/** A fresh copy with `spec.runtimeRef.name` offering `runtimes` (any other name stays allowed). */
export function trainJobJsonSchema(runtimes: readonly RuntimeInfo[]): JsonSchema {
  const schema = structuredClone(baseTrainJobJsonSchema());
  const name = nodeAt(schema, ['spec', 'runtimeRef', 'name']);
  if (name && runtimes.length > 0) {
    // `enum` drives completion with a description per value; monaco-yaml's own validation is
    // off (the engine validates), so a runtime that is not listed is not flagged here.
    name.enum = runtimes.map((r) => r.name);
    name.markdownEnumDescriptions = runtimes.map((r) => r.description);
  }
  return schema;
}

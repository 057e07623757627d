/**
 * Parameter values as KFP types them (ParameterType): run parameters typed in on the command line
 * or in a form, output parameter files read back, and values shown to people. Pure.
 */
import type { ParameterSpec, ParameterType } from '../spec/pipeline-spec.js';

export class ParameterValueError extends Error {}

/** A value typed as text (`--param n=5`, a form field) → the JSON value its parameterType asks for. */
export function parseParameterText(name: string, text: string, type: ParameterType | undefined): unknown {
  const fail = (expected: string): never => {
    throw new ParameterValueError(`Parameter ${name}: "${text}" is not ${expected}.`);
  };
  switch (type) {
    case 'NUMBER_INTEGER': {
      const n = Number(text.trim());
      return Number.isInteger(n) && text.trim() !== '' ? n : fail('a whole number (NUMBER_INTEGER)');
    }
    case 'NUMBER_DOUBLE': {
      const n = Number(text.trim());
      return Number.isFinite(n) && text.trim() !== '' ? n : fail('a number (NUMBER_DOUBLE)');
    }
    case 'BOOLEAN': {
      const t = text.trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : fail('true or false (BOOLEAN)');
    }
    case 'LIST':
    case 'STRUCT': {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        return fail(type === 'LIST' ? 'a JSON list, e.g. [1, 2]' : 'a JSON object, e.g. {"a": 1}');
      }
      if (type === 'LIST' ? !Array.isArray(v) : typeof v !== 'object' || v === null || Array.isArray(v)) return fail(type === 'LIST' ? 'a JSON list' : 'a JSON object');
      return v;
    }
    default:
      return text;
  }
}

/** A value given as JSON (API callers) checked against its type; numbers stay numbers. */
export function checkParameterValue(name: string, value: unknown, type: ParameterType | undefined): unknown {
  if (typeof value === 'string' && type !== 'STRING' && type !== undefined) return parseParameterText(name, value, type);
  const bad = (expected: string) => new ParameterValueError(`Parameter ${name}: ${JSON.stringify(value)} is not ${expected}.`);
  switch (type) {
    case 'NUMBER_INTEGER': if (!Number.isInteger(value)) throw bad('a whole number'); return value;
    case 'NUMBER_DOUBLE': if (typeof value !== 'number') throw bad('a number'); return value;
    case 'BOOLEAN': if (typeof value !== 'boolean') throw bad('true or false'); return value;
    case 'LIST': if (!Array.isArray(value)) throw bad('a list'); return value;
    case 'STRUCT': if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('an object'); return value;
    case 'STRING': if (typeof value !== 'string') throw bad('a string'); return value;
    default: return value;
  }
}

/** The content of an output parameter file (dsl.OutputPath(str) …) → its value, as KFP reads it. */
export function parseOutputFile(text: string, type: ParameterType | undefined): unknown {
  switch (type) {
    case 'NUMBER_INTEGER':
    case 'NUMBER_DOUBLE': {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) throw new ParameterValueError(`"${text.slice(0, 40)}" is not a number`);
      return type === 'NUMBER_INTEGER' ? Math.trunc(n) : n;
    }
    case 'BOOLEAN': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw new ParameterValueError(`"${text.slice(0, 40)}" is not true or false`);
      return t === 'true';
    }
    case 'LIST':
    case 'STRUCT':
      try {
        return JSON.parse(text);
      } catch {
        throw new ParameterValueError(`"${text.slice(0, 40)}" is not JSON`);
      }
    default:
      return text;
  }
}

/** Root inputs: given values, else the spec's defaults; a required input without a value is an error. */
export function resolveRunParameters(defs: Record<string, ParameterSpec>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in defs)) {
      const known = Object.keys(defs);
      throw new ParameterValueError(`The pipeline has no parameter "${name}"${known.length ? `; it has ${known.join(', ')}` : ''}.`);
    }
  }
  const missing: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (name in given) out[name] = checkParameterValue(name, given[name], def.parameterType);
    else if (def.defaultValue !== undefined) out[name] = normaliseDefault(def.defaultValue, def.parameterType);
    else if (!def.isOptional) missing.push(`${name} (${def.parameterType ?? 'STRING'})`);
  }
  if (missing.length) throw new ParameterValueError(`The pipeline needs a value for ${missing.join(', ')}; give it with --param name=value.`);
  return out;
}

/** kfp writes integer defaults as doubles (`defaultValue: 5.0`). */
export function normaliseDefault(value: unknown, type: ParameterType | undefined): unknown {
  if (type === 'NUMBER_INTEGER' && typeof value === 'number') return Math.trunc(value);
  return value;
}

/** How a value appears inside a command line: strings as they are, everything else as JSON. */
export function placeholderText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

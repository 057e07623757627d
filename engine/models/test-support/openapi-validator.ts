/**
 * Validates requests and responses against an OpenAPI 3.0 document (the Kubeflow Model
 * Registry's, read from ../shared/third_party) with ajv. OpenAPI's `discriminator` on a oneOf
 * becomes an if/then per mapping (ajv's own discriminator needs the property at the top of
 * every branch, which allOf-composed schemas do not have); formats are not checked (the
 * document's patterns carry the rules that matter, e.g. int64 ids as decimal strings).
 */
import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

interface OpenApi {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; parameters: Record<string, Json> };
}

/** Rewrites every `{oneOf, discriminator}` into checks ajv can run. */
function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!node || typeof node !== 'object') return node;
  const obj = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v)])) as Json;
  const d = obj.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
  if (d && Array.isArray(obj.oneOf) && d.mapping) {
    const { oneOf: _oneOf, discriminator: _d, ...rest } = obj;
    const keys = Object.keys(d.mapping);
    return {
      ...rest,
      type: 'object',
      required: [d.propertyName],
      properties: { [d.propertyName]: { enum: keys } },
      allOf: keys.map((k) => ({ if: { properties: { [d.propertyName]: { const: k } } }, then: { $ref: d.mapping![k] } })),
    };
  }
  delete obj.discriminator;
  return obj;
}

export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly doc: OpenApi;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.doc = parse(fs.readFileSync(file, 'utf8')) as OpenApi;
    this.ajv.addSchema({ $id: 'openapi.json', components: rewrite(this.doc.components) }, 'openapi.json');
  }

  private validator(ref: string): ValidateFunction {
    let v = this.cache.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json${ref}` });
      this.cache.set(ref, v);
    }
    return v;
  }

  /** The operation for a concrete path (`/api/.../model_versions/12/artifacts`) and method. */
  operation(method: string, concretePath: string): { template: string; op: Json } | null {
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const op = item[method.toLowerCase()];
      if (re.test(concretePath) && op) return { template, op };
    }
    return null;
  }

  /** Errors of a schema `$ref` (e.g. `#/components/schemas/ModelVersionCreate`) for `value`; [] when valid. */
  check(ref: string, value: unknown): string[] {
    const v = this.validator(ref);
    return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** The request body schema of an operation, as a $ref. */
  requestSchema(method: string, concretePath: string): string | null {
    const found = this.operation(method, concretePath);
    const schema = (found?.op.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.['application/json']?.schema;
    return schema?.$ref ?? null;
  }

  /** The response body schema of an operation for a status, as a $ref (following `#/components/responses/…`). */
  responseSchema(method: string, concretePath: string, status: number): string | null {
    const found = this.operation(method, concretePath);
    let resp = (found?.op.responses as Record<string, Json> | undefined)?.[String(status)];
    if (resp?.$ref) resp = this.doc.components.responses[String(resp.$ref).split('/').pop()!];
    const schema = (resp?.content as Record<string, { schema?: { $ref?: string } }> | undefined)?.['application/json']?.schema;
    return schema?.$ref ?? null;
  }

  /** Query parameters an operation declares (its own and its path item's), by name. */
  queryParameters(method: string, concretePath: string): string[] {
    const found = this.operation(method, concretePath);
    if (!found) return [];
    const item = this.doc.paths[found.template]!;
    const params = [...((item.parameters as Json[] | undefined) ?? []), ...((found.op.parameters as Json[] | undefined) ?? [])];
    return params
      .map((p) => (p.$ref ? this.doc.components.parameters[String(p.$ref).split('/').pop()!] : p))
      .filter((p): p is Json => Boolean(p) && p!.in === 'query')
      .map((p) => String(p.name));
  }
}

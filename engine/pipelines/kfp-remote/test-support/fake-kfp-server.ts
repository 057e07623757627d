/**
 * fake-kfp-server: stands in for a Kubeflow Pipelines API server (none can be built here: its Go
 * module is not served). It answers the v2beta1 operations the app uses from memory and checks
 * every request against KFP's own OpenAPI (third_party/kubeflow-pipelines/kfp_api_v2beta1.swagger.json,
 * read from the shared folder, never copied): the path and method exist, query parameters are
 * declared ones, required ones are there, JSON bodies match the schema with no unknown fields,
 * uploads carry `uploadfile`. Its own answers are checked against the response schemas too.
 * Anything off is recorded in `violations` (and answered 400), so a test fails on it.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../jobs/test-support/workspaces.js';

export const SWAGGER_FILE = path.join(process.env.KFD_THIRD_PARTY_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'third_party'), 'kubeflow-pipelines', 'kfp_api_v2beta1.swagger.json');

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  responses: Record<string, { schema?: unknown }>;
}
type Swagger = { paths: Record<string, Record<string, Operation>>; definitions: Record<string, unknown> };

/** Swagger leaves objects open; a client that sends a misspelt field must fail the test. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export interface RecordedRequest {
  operationId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body: unknown;
}

export class FakeKfpServer {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  private readonly pipelines = new Map<string, { pipeline_id: string; name: string; display_name: string; versions: { pipeline_version_id: string; name: string; spec: unknown }[]; namespace?: string }>();
  readonly runs: { run_id: string; body: Record<string, unknown> }[] = [];
  private server!: http.Server;
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly swagger: Swagger;
  url = '';
  private seq = 0;

  constructor(readonly token: string) {
    this.swagger = JSON.parse(fs.readFileSync(SWAGGER_FILE, 'utf8')) as Swagger;
    this.ajv.addSchema({ $id: 'kfp', definitions: closeObjects(this.swagger.definitions) }, 'kfp');
  }

  private validator(schema: unknown): ValidateFunction {
    const ref = (schema as { $ref?: string }).$ref;
    return ref ? this.ajv.getSchema(`kfp${ref}`)! : this.ajv.compile(closeObjects(schema) as object);
  }

  private match(method: string, pathname: string): { template: string; op: Operation; params: Record<string, string> } | null {
    for (const [template, ops] of Object.entries(this.swagger.paths)) {
      const op = ops[method.toLowerCase()];
      if (!op) continue;
      const names: string[] = [];
      const re = new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{([^}]+)\}/g, (_, n: string) => (names.push(n), '([^/]+?)'))}$`);
      const m = re.exec(pathname);
      if (m) return { template, op, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return null;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, message: string, violation = true) => {
      if (violation) this.violations.push(`${req.method} ${url.pathname}: ${message}`);
      send(status, { code: status === 409 ? 6 : status === 401 ? 16 : 3, message });
    };
    const found = this.match(req.method ?? 'GET', url.pathname);
    if (!found) return fail(404, 'no such operation in the v2beta1 API');
    const { op, params } = found;
    const query = Object.fromEntries(url.searchParams.entries());
    const declared = new Map((op.parameters ?? []).map((p) => [p.name, p]));
    for (const name of Object.keys(query)) if (declared.get(name)?.in !== 'query') this.violations.push(`${op.operationId}: query parameter "${name}" is not declared`);
    for (const p of op.parameters ?? []) if (p.required && p.in === 'query' && !(p.name in query)) this.violations.push(`${op.operationId}: required query parameter "${p.name}" is missing`);
    let body: unknown = null;
    const bodyParam = (op.parameters ?? []).find((p) => p.in === 'body');
    if (bodyParam) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(400, 'the body is not JSON');
      }
      const validate = this.validator(bodyParam.schema);
      if (!validate(body)) return fail(400, `the body does not match ${JSON.stringify(bodyParam.schema)}: ${this.ajv.errorsText(validate.errors)}`);
    }
    const formParams = (op.parameters ?? []).filter((p) => p.in === 'formData');
    if (formParams.length) {
      const form = await new Request(url, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: raw }).formData().catch(() => null);
      if (!form) return fail(400, 'the body is not multipart/form-data');
      for (const p of formParams) if (p.required && !form.has(p.name)) return fail(400, `form field "${p.name}" is missing`);
      for (const name of form.keys()) if (!formParams.some((p) => p.name === name)) this.violations.push(`${op.operationId}: form field "${name}" is not declared`);
      const file = form.get('uploadfile');
      body = typeof file === 'string' || !file ? file : { filename: file.name, text: await file.text() };
    }
    this.requests.push({ operationId: op.operationId, method: req.method ?? '', path: url.pathname, query, authorization: req.headers.authorization ?? null, body });
    if (req.headers.authorization !== `Bearer ${this.token}`) return fail(401, 'missing or wrong bearer token', false);
    const answer = this.operate(op.operationId, params, query, body);
    if (answer.status === 200) {
      const schema = op.responses['200']?.schema;
      const validate = schema ? this.validator(schema) : null;
      if (validate && !validate(answer.body)) this.violations.push(`fake-kfp-server's own ${op.operationId} answer breaks the schema: ${this.ajv.errorsText(validate.errors)}`);
      return send(200, answer.body);
    }
    return fail(answer.status, String((answer.body as { message: string }).message), false);
  }

  private operate(id: string, params: Record<string, string>, query: Record<string, string>, body: unknown): { status: number; body: unknown } {
    const now = new Date().toISOString();
    const newId = () => `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`;
    switch (id) {
      case 'UploadPipeline': {
        const upload = body as { text: string };
        const spec = parse(upload.text) as { pipelineInfo?: { name?: string } };
        if (!spec?.pipelineInfo?.name) return { status: 400, body: { message: 'not a pipeline spec' } };
        const name = query.name ?? spec.pipelineInfo.name;
        if (this.pipelines.has(name)) return { status: 409, body: { message: `pipeline ${name} already exists` } };
        const p = { pipeline_id: newId(), name, display_name: query.display_name ?? name, versions: [{ pipeline_version_id: newId(), name, spec }], ...(query.namespace ? { namespace: query.namespace } : {}) };
        this.pipelines.set(name, p);
        return { status: 200, body: { pipeline_id: p.pipeline_id, name: p.name, display_name: p.display_name, created_at: now, ...(p.namespace ? { namespace: p.namespace } : {}) } };
      }
      case 'PipelineService_GetPipelineByName': {
        const p = this.pipelines.get(params.name!);
        return p ? { status: 200, body: { pipeline_id: p.pipeline_id, name: p.name, display_name: p.display_name, created_at: now } } : { status: 404, body: { message: 'not found' } };
      }
      case 'UploadPipelineVersion': {
        const p = [...this.pipelines.values()].find((x) => x.pipeline_id === query.pipelineid);
        if (!p) return { status: 404, body: { message: 'no such pipeline' } };
        const v = { pipeline_version_id: newId(), name: query.name ?? 'v', spec: parse((body as { text: string }).text) };
        p.versions.push(v);
        return { status: 200, body: { pipeline_id: p.pipeline_id, pipeline_version_id: v.pipeline_version_id, name: v.name, created_at: now, pipeline_spec: v.spec } };
      }
      case 'RunService_CreateRun': {
        const run = body as Record<string, unknown> & { pipeline_version_reference?: { pipeline_id?: string } };
        const p = [...this.pipelines.values()].find((x) => x.pipeline_id === run.pipeline_version_reference?.pipeline_id);
        if (!p) return { status: 404, body: { message: 'no such pipeline' } };
        const r = { run_id: newId(), body: run };
        this.runs.push(r);
        return { status: 200, body: { ...run, run_id: r.run_id, state: 'PENDING', created_at: now, storage_state: 'AVAILABLE' } };
      }
      default:
        return { status: 501, body: { message: `${id} is not implemented by fake-kfp-server` } };
    }
  }
}

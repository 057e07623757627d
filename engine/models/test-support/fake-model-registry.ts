/**
 * fake-model-registry: stands for a Kubeflow Model Registry server (kubeflow/hub), which cannot
 * be built here (its Go module is not served). It speaks the part of the REST API a push uses —
 * find/create RegisteredModel, find/create ModelVersion, upsert its artifact — on 127.0.0.1,
 * requires a bearer token, and checks every request it receives and every response it sends
 * against the official OpenAPI document (../shared/third_party/kubeflow-hub/model-registry.yaml).
 * Anything off the spec is recorded in `violations` and answered 400, so a test can assert none.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiValidator } from './openapi-validator.js';

const PREFIX = '/api/model_registry/v1alpha3';
type Obj = Record<string, unknown>;

export interface FakeModelRegistry {
  url: string;
  /** Requests and responses that did not match the spec ("POST /…: /name must be string"). */
  violations: string[];
  /** Every request: method, path with query, Authorization header, body. */
  requests: { method: string; path: string; authorization: string | undefined; body: unknown }[];
  models: Obj[];
  versions: Obj[];
  artifacts: Obj[];
  close(): Promise<void>;
}

export async function startFakeModelRegistry(specFile: string, token: string): Promise<FakeModelRegistry> {
  const spec = new OpenApiValidator(specFile);
  const state = { models: [] as Obj[], versions: [] as Obj[], artifacts: [] as Obj[], links: new Map<string, string[]>(), nextId: 1 };
  const violations: string[] = [];
  const requests: FakeModelRegistry['requests'] = [];
  const now = () => String(Date.now());
  const stamp = (o: Obj): Obj => ({ ...o, id: String(state.nextId++), createTimeSinceEpoch: now(), lastUpdateTimeSinceEpoch: now() });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const method = req.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      requests.push({ method, path: url.pathname + url.search, authorization: req.headers.authorization, body });
      const where = `${method} ${url.pathname}`;
      const send = (status: number, payload: Obj) => {
        const ref = spec.responseSchema(method, url.pathname, status);
        if (!ref) violations.push(`${where}: the spec has no ${status} response`);
        else for (const e of spec.check(ref, payload)) violations.push(`${where} response ${status}: ${e}`);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const fail = (status: number, message: string) => send(status, { code: String(status), message });

      if (!url.pathname.startsWith(PREFIX) || !spec.operation(method, url.pathname)) {
        violations.push(`${where}: not an operation of the spec`);
        return fail(404, `${where} is not part of the Model Registry API`);
      }
      for (const q of url.searchParams.keys()) {
        if (!spec.queryParameters(method, url.pathname).includes(q)) violations.push(`${where}: query parameter ${q} is not in the spec`);
      }
      const reqRef = spec.requestSchema(method, url.pathname);
      if (reqRef) {
        const errors = spec.check(reqRef, body);
        if (errors.length) {
          violations.push(...errors.map((e) => `${where} request: ${e}`));
          return fail(400, `request does not match ${reqRef}: ${errors.join('; ')}`);
        }
      }
      if (req.headers.authorization !== `Bearer ${token}`) return fail(401, 'missing or wrong bearer token');

      const p = url.pathname.slice(PREFIX.length);
      const q = url.searchParams;
      let m: RegExpExecArray | null;
      if (method === 'GET' && p === '/registered_model') {
        const found = state.models.find((x) => x.name === q.get('name'));
        return found ? send(200, found) : fail(404, `no registered model named ${q.get('name')}`);
      }
      if (method === 'POST' && p === '/registered_models') {
        const b = body as Obj;
        if (state.models.some((x) => x.name === b.name)) return fail(409, `registered model ${String(b.name)} exists`);
        const created = stamp({ state: 'LIVE', customProperties: {}, ...b });
        state.models.push(created);
        return send(201, created);
      }
      if (method === 'GET' && p === '/model_version') {
        const found = state.versions.find((x) => x.name === q.get('name') && (!q.get('parentResourceId') || x.registeredModelId === q.get('parentResourceId')));
        return found ? send(200, found) : fail(404, `no model version named ${q.get('name')}`);
      }
      if (method === 'POST' && p === '/model_versions') {
        const b = body as Obj;
        if (!state.models.some((x) => x.id === b.registeredModelId)) return fail(404, `no registered model ${String(b.registeredModelId)}`);
        if (state.versions.some((x) => x.name === b.name && x.registeredModelId === b.registeredModelId)) return fail(409, `version ${String(b.name)} exists`);
        const created = stamp({ state: 'LIVE', customProperties: {}, ...b });
        state.versions.push(created);
        return send(201, created);
      }
      if ((m = /^\/model_versions\/(\d+)\/artifacts$/.exec(p))) {
        const versionId = m[1]!;
        if (!state.versions.some((x) => x.id === versionId)) return fail(404, `no model version ${versionId}`);
        if (method === 'POST') {
          const b = body as Obj;
          const linked = state.links.get(versionId) ?? [];
          const existing = state.artifacts.find((a) => linked.includes(String(a.id)) && a.name === b.name);
          if (existing) {
            Object.assign(existing, b, { lastUpdateTimeSinceEpoch: now() });
            return send(200, existing);
          }
          const created = stamp({ customProperties: {}, ...b });
          state.artifacts.push(created);
          state.links.set(versionId, [...linked, String(created.id)]);
          return send(201, created);
        }
        const items = state.artifacts.filter((a) => (state.links.get(versionId) ?? []).includes(String(a.id)));
        return send(200, { items, size: items.length, pageSize: 100, nextPageToken: '' });
      }
      if (method === 'GET' && (m = /^\/model_versions\/(\d+)$/.exec(p))) {
        const found = state.versions.find((x) => x.id === m![1]);
        return found ? send(200, found) : fail(404, 'not found');
      }
      if (method === 'GET' && (m = /^\/registered_models\/(\d+)$/.exec(p))) {
        const found = state.models.find((x) => x.id === m![1]);
        return found ? send(200, found) : fail(404, 'not found');
      }
      return fail(501, `${where} is in the spec but not in fake-model-registry`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    violations,
    requests,
    models: state.models,
    versions: state.versions,
    artifacts: state.artifacts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Parses a workspace's trainjob.yaml into a validated TrainJob. Every problem comes back with
 * its YAML path and line ("trainjob.yaml:12:17 spec.trainer.numNodes: expected a whole number
 * ≥ 1, got "two". …") because users fix these files by hand in an editor.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { z } from 'zod';
import type { Position, TrainJobIssue, TrainJobSource } from './issues.js';
import { byPosition, describeValue, makeIssue, rememberSource } from './issues.js';
import type { PathSegment } from './schema-walk.js';
import { findUnknownFields, formatPath, isPlainObject, metaAt, suggest } from './schema-walk.js';
import type { TrainJob } from './trainjob-schema.js';
import { TORCH_RESERVED_ENV, TRAINJOB_API_VERSION, TRAINJOB_KIND, trainJobSchema } from './trainjob-schema.js';

export type ParseTrainJobResult = { ok: true; job: TrainJob; warnings: TrainJobIssue[] } | { ok: false; errors: TrainJobIssue[] };

const EXAMPLE = `apiVersion: ${TRAINJOB_API_VERSION}, kind: ${TRAINJOB_KIND}`;

export function parseTrainJob(text: string, file = 'trainjob.yaml'): ParseTrainJobResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const all = Array.isArray(docs) ? docs : [];
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const fail = (errors: TrainJobIssue[]): ParseTrainJobResult => ({ ok: false, errors: errors.sort(byPosition) });

  const syntax = all.flatMap((doc) =>
    doc.errors.map((e) => {
      const pos = e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : at(e.pos[0]);
      const what = e.message.split(/ at line \d+, column \d+/)[0];
      return makeIssue(file, [], pos, `YAML syntax error: ${what}. Fix the indentation or quoting on that line.`);
    }),
  );
  if (syntax.length) return fail(syntax);

  const withContent = all.filter((d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null));
  if (withContent.length === 0) {
    return fail([makeIssue(file, [], { line: 1, column: 1 }, `the file is empty; expected a TrainJob manifest (${EXAMPLE}).`)]);
  }
  if (withContent.length > 1) {
    const second = at(withContent[1]!.contents!.range[0]);
    return fail([
      makeIssue(file, [], second, `contains ${withContent.length} YAML documents; expected exactly one TrainJob. Move the other documents to their own files.`),
    ]);
  }
  const doc = withContent[0]!;
  const source = sourceFor(doc, file, at);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return fail([makeIssue(file, [], { line: 1, column: 1 }, `cannot read the YAML: ${(err as Error).message}.`)]);
  }
  if (!isPlainObject(data)) {
    return fail([makeIssue(file, [], source.locate([]), `expected a mapping with apiVersion, kind, metadata and spec at the top level, got ${describeValue(data)}.`)]);
  }

  // A wrong kind makes every later message noise (a PyTorchJob lacks runtimeRef, …), so stop here.
  const wrongType = typeErrors(data, file, source);
  if (wrongType.length) return fail(wrongType);
  const errors: TrainJobIssue[] = [];
  const reported = new Set<string>(); // zod can flag one path twice (e.g. too long and bad pattern)
  const parsed = trainJobSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const made = issueFromZod(issue, data, file, source);
      if (!reported.has(made.path)) errors.push(made);
      reported.add(made.path);
    }
  }
  errors.push(...reservedEnvErrors(data, file, source));
  if (errors.length || !parsed.success) return fail(errors);

  const warnings = [
    ...doc.warnings.map((w) => makeIssue(file, [], at(w.pos[0]), `YAML warning: ${w.message.split(/ at line \d+/)[0]}.`)),
    ...findUnknownFields(trainJobSchema, data).map(({ path, known }) => {
      const name = String(path[path.length - 1]);
      const guess = suggest(name, known);
      const todo = guess ? `Did you mean "${guess}"?` : 'Check the spelling, or remove it.';
      return makeIssue(file, path, source.locate(path, { key: true }), `unknown field; it is not part of a ${TRAINJOB_API_VERSION} TrainJob and is passed through unchanged. ${todo}`);
    }),
  ];
  const job = parsed.data;
  rememberSource(job, source);
  return { ok: true, job, warnings: warnings.sort(byPosition) };
}

/** apiVersion and kind, explained well: pasting a v1 PyTorchJob or a runtime here is a likely mistake. */
function typeErrors(data: Record<string, unknown>, file: string, source: TrainJobSource): TrainJobIssue[] {
  const { apiVersion, kind } = data;
  const out: TrainJobIssue[] = [];
  const here = (key: string) => source.locate(data[key] === undefined ? [] : [key]);
  if (kind !== TRAINJOB_KIND) {
    let why = `expected "${TRAINJOB_KIND}", got ${describeValue(kind)}.`;
    if (typeof apiVersion === 'string' && apiVersion.startsWith('kubeflow.org/')) {
      why += ` This is a Training Operator v1 ${String(kind)}; Kubeflow Desktop runs Kubeflow Trainer v2 TrainJobs. Rewrite it as ${EXAMPLE} with spec.runtimeRef.name: torch-distributed and the container's command under spec.trainer.`;
    } else if (kind === 'ClusterTrainingRuntime' || kind === 'TrainingRuntime') {
      why += ` This file defines a runtime, not a job; a TrainJob refers to it with spec.runtimeRef.name.`;
    } else {
      why += ` Set kind: ${TRAINJOB_KIND}.`;
    }
    out.push(makeIssue(file, ['kind'], here('kind'), why));
  }
  if (apiVersion !== TRAINJOB_API_VERSION) {
    out.push(makeIssue(file, ['apiVersion'], here('apiVersion'), `expected "${TRAINJOB_API_VERSION}", got ${describeValue(apiVersion)}. Set apiVersion: ${TRAINJOB_API_VERSION}.`));
  }
  return out;
}

export function issueFromZod(issue: z.core.$ZodIssue, data: unknown, file: string, source: TrainJobSource, root: z.ZodType = trainJobSchema): TrainJobIssue {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  const value = valueAt(data, path);
  const meta = metaAt(root, path);
  if (issue.code === 'custom' && issue.message !== 'Invalid input') {
    return makeIssue(file, path, source.locate(path), `${issue.message}.`);
  }
  const expected = meta?.expected ?? issue.message;
  const hint = meta?.hint ? ` ${meta.hint}` : '';
  if (value === undefined) {
    return makeIssue(file, path, source.locate(path.slice(0, -1), { key: true }), `missing; expected ${expected}.${hint || ` Add ${formatPath(path.slice(-1))}.`}`);
  }
  if (issue.code === 'too_big' && Array.isArray(value)) {
    return makeIssue(file, path, source.locate(path), `expected ${expected}, got ${value.length} entries.${hint}`);
  }
  return makeIssue(file, path, source.locate(path), `expected ${expected}, got ${describeValue(value)}.${hint}`);
}

/** Trainer's torch plugin rejects these env names in trainer.env; it sets them itself, and so do our backends. */
function reservedEnvErrors(data: Record<string, unknown>, file: string, source: TrainJobSource): TrainJobIssue[] {
  const runtime = valueAt(data, ['spec', 'runtimeRef', 'name']);
  const env = valueAt(data, ['spec', 'trainer', 'env']);
  if (typeof runtime !== 'string' || !/torch/.test(runtime) || /torchtune/.test(runtime) || !Array.isArray(env)) return [];
  return env.flatMap((entry, i) => {
    const name = isPlainObject(entry) ? entry.name : undefined;
    if (typeof name !== 'string' || !(TORCH_RESERVED_ENV as readonly string[]).includes(name)) return [];
    const path = ['spec', 'trainer', 'env', i, 'name'];
    return [makeIssue(file, path, source.locate(path), `${name} is set by the torch runtime from numNodes/numProcPerNode; Trainer rejects a TrainJob that sets it. Remove this entry and use spec.trainer.numNodes / numProcPerNode instead.`)];
  });
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/** Positions of paths in one parsed YAML document (also used for Katib Experiments). */
export function sourceFor(doc: Document.Parsed, file: string, at: (offset: number) => Position): TrainJobSource {
  const start = (node: unknown): number | undefined => (node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined);
  return {
    file,
    locate(path, options = {}) {
      let node: unknown = doc.contents;
      let offset = start(node) ?? 0;
      let lastKey: number | undefined;
      for (let i = 0; i < path.length; i++) {
        if (isAlias(node)) node = node.resolve(doc);
        const segment = path[i]!;
        if (isMap(node)) {
          const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
          if (!pair) return at(lastKey ?? offset);
          const keyStart = start(pair.key);
          if (i === path.length - 1 && options.key && keyStart !== undefined) return at(keyStart);
          node = pair.value;
          lastKey = keyStart;
          // An empty value (`numNodes:`) has no node of its own; point at its key.
          offset = start(node) ?? keyStart ?? offset;
        } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
          node = node.items[segment];
          offset = start(node) ?? offset;
          lastKey = offset;
        } else {
          return at(offset);
        }
      }
      return at(offset);
    },
  };
}

/**
 * Parses an experiment.yaml (a Katib `kubeflow.org/v1beta1` Experiment whose trial is a Kubeflow
 * TrainJob) into a validated plan. Like trainjob.yaml, every problem names its line, column and
 * field path ("experiment.yaml:14:9 spec.parameters[0].feasibleSpace.min: …"); a field the local
 * runner cannot honour is a warning, never silently dropped; unknown fields pass through.
 */
import { LineCounter, isScalar, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { SpecIssue } from '../api/schemas/jobs.js';
import { issueFromZod, parseTrainJob, sourceFor, valueAt } from '../jobs/trainjob/parse-trainjob.js';
import { byPosition, describeValue, makeIssue, type Position, type TrainJobSource } from '../jobs/trainjob/issues.js';
import { findUnknownFields, isPlainObject, suggest, type PathSegment } from '../jobs/trainjob/schema-walk.js';
import { TRAINJOB_API_VERSION, TRAINJOB_KIND } from '../jobs/trainjob/trainjob-schema.js';
import { EXPERIMENT_API_VERSION, EXPERIMENT_KIND, KATIB_ALGORITHMS, LOCAL_ALGORITHMS, experimentSchema, type Experiment, type LocalAlgorithm } from './experiment-schema.js';
import { KATIB_DEFAULT_METRICS_FORMAT, compileMetricsFormat } from './metrics-collector.js';
import type { ParamSpec } from './search-space.js';
import { TRIAL_PARAMETER_REF, TRIAL_SPEC_REFS, buildTrialJob, trialName } from './trial-template.js';

export type MetricStrategy = 'min' | 'max' | 'latest';

/** What the local runner needs from an Experiment, numbers parsed and Katib's defaults applied. */
export interface ExperimentPlan {
  name: string;
  namespace: string | null;
  parameters: ParamSpec[];
  objective: {
    type: 'minimize' | 'maximize';
    goal: number | null;
    metric: string;
    additional: string[];
    /** Every metric (objective first) with its strategy; Katib's default follows the objective type. */
    strategies: Record<string, MetricStrategy>;
  };
  algorithm: { name: string; settings: Record<string, string> };
  earlyStopping: { algorithm: 'medianstop'; minTrialsRequired: number; startStep: number } | null;
  trialParameters: { name: string; reference: string }[];
  /** spec.trialTemplate.trialSpec as written (placeholders unresolved). */
  trialSpec: Record<string, unknown>;
  parallelTrialCount: number;
  maxTrialCount: number | null;
  maxFailedTrialCount: number | null;
  /** Regular expressions with two groups (name, value), Katib's default when none are given. */
  metricsFormat: string[];
}

export type ParseExperimentResult =
  | { ok: true; experiment: Experiment; plan: ExperimentPlan; warnings: SpecIssue[] }
  | { ok: false; errors: SpecIssue[]; warnings: SpecIssue[] };

/** Katib's webhook default. */
export const DEFAULT_PARALLEL_TRIALS = 3;
export const MEDIANSTOP_DEFAULTS = { minTrialsRequired: 3, startStep: 4 };
const EXAMPLE = `apiVersion: ${EXPERIMENT_API_VERSION}, kind: ${EXPERIMENT_KIND}`;

export interface ParseOptions {
  /** Running here (true, default): algorithms that only exist on Katib are errors; for promote they are fine. */
  local?: boolean;
  /**
   * Checks one trial's TrainJob (YAML) as the chosen backend would; default: the TrainJob parser.
   * Its issues are reported at the matching place under spec.trialTemplate.trialSpec.
   */
  checkTrial?: (text: string) => { errors: SpecIssue[]; warnings: SpecIssue[] };
}

const TRIAL_FILE = 'trial';

function defaultCheckTrial(text: string): { errors: SpecIssue[]; warnings: SpecIssue[] } {
  const r = parseTrainJob(text, TRIAL_FILE);
  return r.ok ? { errors: [], warnings: r.warnings } : { errors: r.errors, warnings: [] };
}

/** "spec.trainer.env[0].name" → ['spec', 'trainer', 'env', 0, 'name']. */
function pathSegments(p: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return out;
}

/** The message without the trial file's own "trial:3:5 spec.x: " prefix. */
function bareMessage(issue: SpecIssue): string {
  let text = issue.message.replace(/^trial(:\d+:\d+)? /, '');
  if (issue.path && text.startsWith(`${issue.path}: `)) text = text.slice(issue.path.length + 2);
  return text;
}

/** A value in each parameter's space (its min, or first list entry): enough to check the trial spec's shape. */
export function sampleAssignment(space: readonly ParamSpec[]): Record<string, string> {
  return Object.fromEntries(space.map((p) => [p.name, p.list?.[0] ?? String(p.type === 'int' ? Math.round(p.min ?? 0) : (p.min ?? 0))]));
}

export function parseExperiment(text: string, file = 'experiment.yaml', options: ParseOptions = {}): ParseExperimentResult {
  const local = options.local ?? true;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const all = Array.isArray(docs) ? docs : [];
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const fail = (errors: SpecIssue[], warnings: SpecIssue[] = []): ParseExperimentResult => ({ ok: false, errors: errors.sort(byPosition), warnings: warnings.sort(byPosition) });

  const syntax = all.flatMap((doc) =>
    doc.errors.map((e) => {
      const pos = e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : at(e.pos[0]);
      return makeIssue(file, [], pos, `YAML syntax error: ${e.message.split(/ at line \d+, column \d+/)[0]}. Fix the indentation or quoting on that line.`);
    }),
  );
  if (syntax.length) return fail(syntax);
  const withContent = all.filter((d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null));
  if (withContent.length !== 1) {
    const pos = withContent.length > 1 ? at(withContent[1]!.contents!.range[0]) : { line: 1, column: 1 };
    return fail([makeIssue(file, [], pos, withContent.length ? `contains ${withContent.length} YAML documents; expected exactly one Experiment.` : `the file is empty; expected a Katib Experiment (${EXAMPLE}).`)]);
  }
  const doc = withContent[0] as Document.Parsed;
  const source = sourceFor(doc, file, at);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return fail([makeIssue(file, [], { line: 1, column: 1 }, `cannot read the YAML: ${(err as Error).message}.`)]);
  }
  if (!isPlainObject(data)) return fail([makeIssue(file, [], source.locate([]), `expected a mapping with apiVersion, kind, metadata and spec, got ${describeValue(data)}.`)]);

  const typeIssues: SpecIssue[] = [];
  if (data.kind !== EXPERIMENT_KIND) {
    const hint = data.kind === TRAINJOB_KIND ? ' This is a TrainJob; an Experiment wraps it under spec.trialTemplate.trialSpec (Tune… in the Workspace page writes one for you).' : ` Set kind: ${EXPERIMENT_KIND}.`;
    typeIssues.push(makeIssue(file, ['kind'], source.locate(['kind']), `expected "${EXPERIMENT_KIND}", got ${describeValue(data.kind)}.${hint}`));
  }
  if (data.apiVersion !== EXPERIMENT_API_VERSION) {
    typeIssues.push(makeIssue(file, ['apiVersion'], source.locate(['apiVersion']), `expected "${EXPERIMENT_API_VERSION}", got ${describeValue(data.apiVersion)}. Set apiVersion: ${EXPERIMENT_API_VERSION}.`));
  }
  if (typeIssues.length) return fail(typeIssues);

  const errors: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const err = (path: PathSegment[], text: string, key = false) => errors.push(makeIssue(file, path, source.locate(path, { key }), text));
  const warn = (path: PathSegment[], text: string) => warnings.push(makeIssue(file, path, source.locate(path, { key: true }), text));

  const parsed = experimentSchema.safeParse(data);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const made = issueFromZod(issue, data, file, source, experimentSchema);
      if (!seen.has(made.path)) errors.push(made);
      seen.add(made.path);
    }
    return fail(errors);
  }
  const exp = parsed.data;
  const spec = exp.spec;

  for (const { path, known } of findUnknownFields(experimentSchema, data)) {
    if (path[0] === 'spec' && path[1] === 'trialTemplate' && path[2] === 'trialSpec') continue;
    const guess = suggest(String(path.at(-1)), known);
    warn(path, `unknown field; it is not part of a ${EXPERIMENT_API_VERSION} Experiment and is passed through unchanged. ${guess ? `Did you mean "${guess}"?` : 'Check the spelling, or remove it.'}`);
  }

  // Parameters.
  const parameters: ParamSpec[] = [];
  const names = new Set<string>();
  spec.parameters.forEach((p, i) => {
    const here: PathSegment[] = ['spec', 'parameters', i];
    if (names.has(p.name)) err([...here, 'name'], `the parameter "${p.name}" is defined twice; give each parameter its own name.`);
    names.add(p.name);
    const fs = p.feasibleSpace;
    const fsPath = [...here, 'feasibleSpace'];
    const num = (v: string | number | undefined) => (v === undefined ? undefined : Number(v));
    const dist = fs.distribution;
    if (dist === 'normal' || dist === 'logNormal') warn([...fsPath, 'distribution'], `the ${dist} distribution is not sampled locally; values are drawn ${dist === 'logNormal' ? 'log-uniformly' : 'uniformly'} between min and max instead (Katib on a cluster honours it).`);
    const log = dist === 'logUniform' || dist === 'logNormal';
    if (p.parameterType === 'double' || p.parameterType === 'int') {
      const min = num(fs.min);
      const max = num(fs.max);
      const step = num(fs.step);
      if (min === undefined) err([...fsPath, 'min'], `missing; a ${p.parameterType} parameter needs min and max. Add min.`, true);
      if (max === undefined) err([...fsPath, 'max'], `missing; a ${p.parameterType} parameter needs min and max. Add max.`, true);
      if (fs.list) warn([...fsPath, 'list'], `a ${p.parameterType} parameter uses min/max; this list is ignored. Use parameterType: discrete or categorical for a list.`);
      if (min !== undefined && max !== undefined && min > max) err([...fsPath, 'min'], `min (${min}) is greater than max (${max}); swap them.`);
      if (p.parameterType === 'int') for (const [k, v] of [['min', min], ['max', max], ['step', step]] as const) if (v !== undefined && !Number.isInteger(v)) err([...fsPath, k], `an int parameter needs whole numbers, got ${v}.`);
      if (step !== undefined && !(step > 0)) err([...fsPath, 'step'], `step must be greater than 0, got ${step}.`);
      if (log && min !== undefined && min <= 0) err([...fsPath, 'min'], `a ${dist} parameter needs min > 0 (its logarithm is sampled), got ${min}.`);
      parameters.push({ name: p.name, type: p.parameterType, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(step !== undefined ? { step } : {}), log });
    } else {
      if (!fs.list) {
        err([...fsPath, 'list'], `missing; a ${p.parameterType} parameter needs a list of values. Add list: [...].`, true);
        return;
      }
      const list = fs.list.map(String);
      if (p.parameterType === 'discrete') list.forEach((v, j) => Number.isFinite(Number(v)) || err([...fsPath, 'list', j], `a discrete parameter takes numbers, got ${JSON.stringify(v)}. Use parameterType: categorical for words.`));
      if (new Set(list).size !== list.length) warn([...fsPath, 'list'], 'the list has repeated values; each is suggested as often as it appears.');
      parameters.push({ name: p.name, type: p.parameterType, list, log: false });
    }
  });

  // Objective and metric strategies (Katib's default: min when minimizing, max when maximizing).
  const obj = spec.objective;
  const metricNames = [obj.objectiveMetricName, ...(obj.additionalMetricNames ?? [])];
  const byType: MetricStrategy = obj.type === 'minimize' ? 'min' : 'max';
  const strategies: Record<string, MetricStrategy> = Object.fromEntries(metricNames.map((m) => [m, byType]));
  (obj.metricStrategies ?? []).forEach((s, i) => {
    if (!metricNames.includes(s.name)) err(['spec', 'objective', 'metricStrategies', i, 'name'], `"${s.name}" is neither the objectiveMetricName nor one of additionalMetricNames (${metricNames.join(', ')}).`);
    else strategies[s.name] = s.value;
  });

  // Algorithm.
  const algorithmName = spec.algorithm.algorithmName;
  const settings: Record<string, string> = {};
  for (const s of spec.algorithm.algorithmSettings ?? []) settings[s.name] = String(s.value);
  const algPath: PathSegment[] = ['spec', 'algorithm', 'algorithmName'];
  if (!(KATIB_ALGORITHMS as readonly string[]).includes(algorithmName)) {
    const guess = suggest(algorithmName, KATIB_ALGORITHMS);
    err(algPath, `unknown algorithm "${algorithmName}". Katib's are ${KATIB_ALGORITHMS.join(', ')}.${guess ? ` Did you mean "${guess}"?` : ''}`);
  } else if (!(LOCAL_ALGORITHMS as readonly string[]).includes(algorithmName)) {
    const text = `"${algorithmName}" runs only on Katib (a cluster); locally use one of ${LOCAL_ALGORITHMS.join(', ')}, or promote the experiment to a cluster with Katib.`;
    if (local) err(algPath, text);
    else warn(algPath, text);
  }
  if (settings.random_state !== undefined && !/^-?\d+$/.test(settings.random_state)) {
    const i = (spec.algorithm.algorithmSettings ?? []).findIndex((s) => s.name === 'random_state');
    err(['spec', 'algorithm', 'algorithmSettings', i, 'value'], `random_state must be a whole number, got ${JSON.stringify(settings.random_state)}.`);
  }
  if ((algorithmName as LocalAlgorithm) === 'grid') {
    spec.parameters.forEach((p, i) => {
      if (p.parameterType === 'double' && p.feasibleSpace.step === undefined) err(['spec', 'parameters', i, 'feasibleSpace'], `grid search needs a step for the double parameter "${p.name}"; add feasibleSpace.step.`);
    });
  }

  // Early stopping.
  let earlyStopping: ExperimentPlan['earlyStopping'] = null;
  if (spec.earlyStopping) {
    const es = spec.earlyStopping;
    if (es.algorithmName !== 'medianstop') {
      warn(['spec', 'earlyStopping', 'algorithmName'], `early stopping "${es.algorithmName}" is not available locally (only medianstop); trials run to their end here.`);
    } else {
      const values = { ...MEDIANSTOP_DEFAULTS };
      (es.algorithmSettings ?? []).forEach((s, i) => {
        const key = s.name === 'min_trials_required' ? 'minTrialsRequired' : s.name === 'start_step' ? 'startStep' : null;
        const path = ['spec', 'earlyStopping', 'algorithmSettings', i];
        if (!key) return warn([...path, 'name'], `medianstop has no setting "${s.name}" (it has min_trials_required and start_step); it is ignored.`);
        const n = Number(s.value);
        if (!Number.isInteger(n) || n < 1) return err([...path, 'value'], `${s.name} must be a whole number ≥ 1, got ${JSON.stringify(s.value)}.`);
        values[key] = n;
      });
      earlyStopping = { algorithm: 'medianstop', ...values };
    }
  }

  // Metrics collector.
  const mc = spec.metricsCollectorSpec;
  const kind = mc?.collector?.kind ?? 'StdOut';
  if (kind !== 'StdOut') warn(['spec', 'metricsCollectorSpec', 'collector', 'kind'], `the ${kind} collector is not available locally; metrics are read from the trials' output (StdOut) instead.`);
  if (mc?.source?.fileSystemPath !== undefined) warn(['spec', 'metricsCollectorSpec', 'source', 'fileSystemPath'], 'not read locally: metrics come from the trials\' output.');
  if (mc?.source?.httpGet !== undefined) warn(['spec', 'metricsCollectorSpec', 'source', 'httpGet'], 'not read locally: metrics come from the trials\' output.');
  const metricsFormat = mc?.source?.filter?.metricsFormat ?? [KATIB_DEFAULT_METRICS_FORMAT];
  metricsFormat.forEach((re, i) => {
    const problem = compileMetricsFormat(re).error;
    if (problem) err(['spec', 'metricsCollectorSpec', 'source', 'filter', 'metricsFormat', i], problem);
  });

  // Trial template.
  const tt = spec.trialTemplate;
  const ttPath: PathSegment[] = ['spec', 'trialTemplate'];
  if (tt.configMap !== undefined) err([...ttPath, 'configMap'], 'a trial template in a ConfigMap cannot be read locally; put the TrainJob inline under trialTemplate.trialSpec.', true);
  for (const k of ['successCondition', 'failureCondition', 'primaryPodLabels'] as const) {
    if (tt[k] !== undefined) warn([...ttPath, k], `used by Katib on a cluster only; locally a trial succeeds when its job completes and fails when it fails.`);
  }
  if (spec.resumePolicy !== undefined) warn(['spec', 'resumePolicy'], 'used by Katib on a cluster only; locally an experiment always resumes after the app restarts, and ends for good when it completes.');
  if (spec.nasConfig !== undefined) err(['spec', 'nasConfig'], 'neural architecture search (nasConfig) runs only on Katib; remove it to tune locally.', true);
  const trialSpec = tt.trialSpec;
  if (!trialSpec && tt.configMap === undefined) err(ttPath, 'missing trialSpec; add the Kubeflow TrainJob to run for each trial under trialTemplate.trialSpec.', true);
  const trialParameters = (tt.trialParameters ?? []).map((p) => ({ name: p.name, reference: p.reference }));
  if (trialSpec) {
    if (trialSpec.kind !== TRAINJOB_KIND || trialSpec.apiVersion !== TRAINJOB_API_VERSION) {
      err([...ttPath, 'trialSpec'], `expected a Kubeflow TrainJob (apiVersion: ${TRAINJOB_API_VERSION}, kind: ${TRAINJOB_KIND}), got ${describeValue(trialSpec.apiVersion)} ${describeValue(trialSpec.kind)}. Locally every trial is a TrainJob.`);
    }
    const used = placeholdersIn(trialSpec);
    const defined = new Set<string>();
    trialParameters.forEach((tp, i) => {
      const here = [...ttPath, 'trialParameters', i];
      if (defined.has(tp.name)) err([...here, 'name'], `the trial parameter "${tp.name}" is defined twice.`);
      defined.add(tp.name);
      if (!names.has(tp.reference) && !TRIAL_SPEC_REFS.test(tp.reference)) {
        err([...here, 'reference'], `"${tp.reference}" is not a parameter of spec.parameters (${[...names].join(', ')}) nor a \${trialSpec.Name}-style reference.`);
      }
      if (!used.has(tp.name)) err([...here, 'name'], `\${trialParameters.${tp.name}} is not used in trialSpec; use it (e.g. in the command, args or env) or remove it.`);
    });
    for (const name of used) {
      if (!defined.has(name)) err([...ttPath, 'trialSpec'], `\${trialParameters.${name}} is used in trialSpec but not defined in trialTemplate.trialParameters; add { name: ${name}, reference: <parameter> }.`);
    }
  }

  if (!errors.length && trialSpec) {
    const draft = planOf(exp, parameters, strategies, settings, earlyStopping, trialParameters, trialSpec, metricsFormat);
    const checked = (options.checkTrial ?? defaultCheckTrial)(buildTrialJob(draft, sampleAssignment(parameters), trialName(draft.name, 1)));
    const at = (i: SpecIssue): PathSegment[] => ['spec', 'trialTemplate', 'trialSpec', ...pathSegments(i.path)];
    for (const i of checked.errors) err(at(i), `${bareMessage(i)} (in the trial's TrainJob)`);
    for (const i of checked.warnings) warn(at(i), `${bareMessage(i)} (in the trial's TrainJob)`);
  }
  if (spec.maxTrialCount === undefined) warn(['spec'], 'no maxTrialCount: trials keep coming until the goal is reached or the search space is used up; cancel the experiment to stop it.');
  if (errors.length) return fail(errors, warnings);
  const plan = planOf(exp, parameters, strategies, settings, earlyStopping, trialParameters, trialSpec ?? {}, metricsFormat);
  return { ok: true, experiment: exp, plan, warnings: warnings.sort(byPosition) };
}

function planOf(
  exp: Experiment,
  parameters: ParamSpec[],
  strategies: Record<string, MetricStrategy>,
  settings: Record<string, string>,
  earlyStopping: ExperimentPlan['earlyStopping'],
  trialParameters: ExperimentPlan['trialParameters'],
  trialSpec: Record<string, unknown>,
  metricsFormat: string[],
): ExperimentPlan {
  const { spec } = exp;
  const obj = spec.objective;
  return {
    name: exp.metadata.name,
    namespace: exp.metadata.namespace ?? null,
    parameters,
    objective: { type: obj.type, goal: obj.goal ?? null, metric: obj.objectiveMetricName, additional: obj.additionalMetricNames ?? [], strategies },
    algorithm: { name: spec.algorithm.algorithmName, settings },
    earlyStopping,
    trialParameters,
    trialSpec,
    parallelTrialCount: spec.parallelTrialCount ?? DEFAULT_PARALLEL_TRIALS,
    maxTrialCount: spec.maxTrialCount ?? null,
    maxFailedTrialCount: spec.maxFailedTrialCount ?? null,
    metricsFormat,
  };
}

/** Names X of every `${trialParameters.X}` in the strings (and keys) of a value. */
export function placeholdersIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(new RegExp(TRIAL_PARAMETER_REF.source, 'g'))) out.add(m[1]!);
  } else if (Array.isArray(value)) value.forEach((v) => placeholdersIn(v, out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) {
    placeholdersIn(k, out);
    placeholdersIn(v, out);
  }
  return out;
}

export { valueAt };
export type { TrainJobSource };

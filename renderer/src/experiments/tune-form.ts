/** The Tune… form's state and how it becomes an `experiments.draft` request (pure, tested). */
export interface TuneParam {
  name: string;
  type: 'double' | 'int' | 'discrete' | 'categorical';
  min: string;
  max: string;
  list: string;
  log: boolean;
}

export interface TuneForm {
  objectiveMetric: string;
  objectiveType: 'minimize' | 'maximize';
  goal: string;
  algorithm: string;
  randomState: string;
  maxTrialCount: number;
  parallelTrialCount: number;
  pass: 'args' | 'env';
  parameters: TuneParam[];
}

export const ALGORITHMS = [
  { id: 'random', label: 'random' },
  { id: 'grid', label: 'grid (doubles need a step)' },
  { id: 'tpe', label: 'tpe (Optuna)' },
  { id: 'multivariate-tpe', label: 'multivariate-tpe (Optuna)' },
  { id: 'cmaes', label: 'cmaes (Optuna)' },
  { id: 'sobol', label: 'sobol (Optuna)' },
  { id: 'bayesianoptimization', label: 'bayesianoptimization (scikit-optimize)' },
] as const;

export function emptyParam(name: string, type: TuneParam['type'], min: string, max: string, log: boolean): TuneParam {
  return { name, type, min, max, list: '', log };
}

const NAME = /^[A-Za-z_][\w-]*$/;

export function draftInput(workspace: string, f: TuneForm): { ok: true; input: Record<string, unknown> } | { ok: false; problem: string } {
  if (!f.objectiveMetric.trim()) return { ok: false, problem: 'Name the metric the script prints, e.g. accuracy.' };
  const goal = f.goal.trim() === '' ? undefined : Number(f.goal);
  if (goal !== undefined && !Number.isFinite(goal)) return { ok: false, problem: `The goal "${f.goal}" is not a number.` };
  const seed = f.randomState.trim() === '' ? undefined : Number(f.randomState);
  if (seed !== undefined && !Number.isInteger(seed)) return { ok: false, problem: 'random_state must be a whole number.' };
  if (!(f.maxTrialCount >= 1) || !(f.parallelTrialCount >= 1)) return { ok: false, problem: 'Trials and "at a time" must be at least 1.' };
  const parameters = [];
  const seen = new Set<string>();
  for (const p of f.parameters) {
    if (!NAME.test(p.name)) return { ok: false, problem: `"${p.name}" is not a usable parameter name (letters, digits, - and _).` };
    if (seen.has(p.name)) return { ok: false, problem: `Two parameters are called ${p.name}.` };
    seen.add(p.name);
    if (p.type === 'double' || p.type === 'int') {
      const min = Number(p.min);
      const max = Number(p.max);
      if (p.min.trim() === '' || p.max.trim() === '' || !Number.isFinite(min) || !Number.isFinite(max)) return { ok: false, problem: `${p.name}: min and max must be numbers.` };
      if (min > max) return { ok: false, problem: `${p.name}: min is above max.` };
      if (p.log && min <= 0) return { ok: false, problem: `${p.name}: a log scale needs min > 0.` };
      parameters.push({ name: p.name, type: p.type, min, max, log: p.log, ...(p.log ? { distribution: 'logUniform' as const } : {}) });
    } else {
      const list = p.list.split(',').map((v) => v.trim()).filter(Boolean);
      if (!list.length) return { ok: false, problem: `${p.name}: give at least one value.` };
      parameters.push({ name: p.name, type: p.type, list, log: false });
    }
  }
  return {
    ok: true,
    input: {
      workspace,
      objectiveMetric: f.objectiveMetric.trim(),
      objectiveType: f.objectiveType,
      ...(goal !== undefined ? { goal } : {}),
      algorithm: f.algorithm,
      ...(seed !== undefined ? { randomState: seed } : {}),
      maxTrialCount: f.maxTrialCount,
      parallelTrialCount: f.parallelTrialCount,
      parameters,
      pass: f.pass,
    },
  };
}

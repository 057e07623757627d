/**
 * Metrics from training output, with no logging library required: `key=value` pairs
 * (`step=10 loss=0.31 acc=97.5%`), JSON objects and Python dict reprs (`{'loss': 0.5,
 * 'learning_rate': 5e-05, 'epoch': 0.01}` as HF Trainer prints). Numbers only; everything else
 * on the line is ignored. Pure: the step counter for step-less lines lives in `MetricSteps`.
 */
import { stripAnsi } from '../logs/log-format.js';

export interface ParsedMetrics {
  /** Integer x value from the line, or null: `MetricSteps` then numbers points per name. */
  step: number | null;
  values: Record<string, number>;
}

/**
 * Keys that can be the x value, best first (compared on the last `/` or `.` segment, case
 * insensitive). Only a non-negative integer *written as one* qualifies: the metrics table
 * stores INTEGER steps, and HF's float `epoch` (0.01 … 1.0 … 3.0) must stay a plotted value on
 * every line rather than turn into the x value on the few lines where it happens to be whole.
 */
export const STEP_KEYS = ['step', 'global_step', 'iteration', 'iter', 'epoch'] as const;

/** Numbers that are bookkeeping, not metrics (Lightning's logger version in its progress bar). */
// Identity and launch parameters printed by many scripts (`rank=0 world_size=2`): not metrics.
const IGNORED_KEYS = new Set([
  'v_num',
  'rank',
  'local_rank',
  'global_rank',
  'node_rank',
  'group_rank',
  'world_size',
  'local_world_size',
  'nnodes',
  'nproc_per_node',
  'master_port',
  'port',
  'pid',
  'seed',
]);

/** Cap per line so a dumped config or array cannot flood the metrics table. */
export const MAX_VALUES_PER_LINE = 64;

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER = /^\+?\d+$/;
// `np.float64(0.5)`, `tensor(0.5, device='cuda:0')`, `float('nan')`: unwrap the first argument.
const WRAPPED = /^(?:np\.|numpy\.|torch\.)?(?:float(?:16|32|64)?|int(?:8|16|32|64)?|tensor|array)\(\s*([^,)]*)/;
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S*/gi;
const NAMESPACE = /\bNamespace\([^)]*\)/g; // argparse echo: `Namespace(lr=0.1, epochs=3)`
/**
 * A pair: the key starts a word (not after `-`, `/`, `?`, `&`, `.`: argv flags, paths, query
 * strings); the value is a whole number token (not `1.2s`, `12:30`, `1/2`, `info`).
 */
const PAIR =
  /(?<![\w./?&=-])([A-Za-z_][\w./-]*)\s*=\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?))%?(?![\w.:/])/gi;

/** A number token as Python, JSON or C print it, or undefined. */
export function parseNumber(token: string): number | undefined {
  return numberOf(unwrap(token));
}

function numberOf(t: string): number | undefined {
  if (NUMBER.test(t)) return Number(t);
  switch (t.toLowerCase()) {
    case 'nan': case '+nan': case '-nan':
      return NaN;
    case 'inf': case '+inf': case 'infinity': case '+infinity':
      return Infinity;
    case '-inf': case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

function unwrap(token: string): string {
  const t = token.trim();
  const wrapped = t.includes('(') ? WRAPPED.exec(t) : null;
  return wrapped ? (wrapped[1] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2') : t;
}

/** Numbers of one line in order; `ints` marks those written as integers (step candidates). */
interface Found {
  keys: string[];
  nums: number[];
  ints: boolean[];
}

function put(found: Found | null, key: string, token: string): Found | null {
  const t = unwrap(token);
  const v = numberOf(t);
  if (v === undefined) return found;
  found ??= { keys: [], nums: [], ints: [] };
  const at = found.keys.indexOf(key); // a repeated key: the last value wins, as in a dict
  if (at >= 0) {
    found.nums[at] = v;
    found.ints[at] = INTEGER.test(t);
  } else if (found.keys.length < MAX_VALUES_PER_LINE) {
    found.keys.push(key);
    found.nums.push(v);
    found.ints.push(INTEGER.test(t));
  }
  return found;
}

/** Metrics found on one output line, or null if it has none. */
export function parseMetricLine(line: string): ParsedMetrics | null {
  const text = stripAnsi(line);
  const found = (text.includes('{') && parseDict(text)) || parsePairs(text);
  if (!found) return null;
  const stepAt = stepIndex(found);
  // Built once, never deleted from: V8 keeps such objects fast.
  const values: Record<string, number> = {};
  let any = false;
  for (let i = 0; i < found.keys.length; i++) {
    const key = found.keys[i]!;
    if (i === stepAt || IGNORED_KEYS.has(key)) continue;
    values[key] = found.nums[i]!;
    any = true;
  }
  return any ? { step: stepAt < 0 ? null : found.nums[stepAt]!, values } : null;
}

const STEP_RANK = new Map<string, number>(STEP_KEYS.map((k, i) => [k, i]));

function stepIndex({ keys, nums, ints }: Found): number {
  let best = -1;
  let bestRank: number = STEP_KEYS.length;
  for (let i = 0; i < keys.length; i++) {
    if (!ints[i] || !Number.isSafeInteger(nums[i])) continue;
    const rank = STEP_RANK.get(lastSegment(keys[i]!)) ?? STEP_KEYS.length;
    if (rank < bestRank) [best, bestRank] = [i, rank];
  }
  return best;
}

const lastSegment = (key: string): string => key.slice(Math.max(key.lastIndexOf('/'), key.lastIndexOf('.')) + 1).toLowerCase();

function parsePairs(text: string): Found | null {
  if (!text.includes('=')) return null;
  let cleaned = text;
  if (cleaned.includes('://')) cleaned = cleaned.replace(URL, ' ');
  if (cleaned.includes('Namespace(')) cleaned = cleaned.replace(NAMESPACE, ' ');
  let found: Found | null = null;
  PAIR.lastIndex = 0; // shared global regex; exec is about twice as fast as matchAll here
  for (let m = PAIR.exec(cleaned); m; m = PAIR.exec(cleaned)) found = putToken(found, m[1]!, m[2]!);
  return found;
}

/** `put` for a token PAIR already matched as a plain number or nan/inf (the hot path: no unwrapping, no regex). */
function putToken(found: Found | null, key: string, t: string): Found | null {
  const last = t.charCodeAt(t.length - 1);
  const v = (last >= 48 && last <= 57) || last === 46 ? Number(t) : numberOf(t);
  if (v === undefined) return found;
  found ??= { keys: [], nums: [], ints: [] };
  const int = isIntegerToken(t);
  const at = found.keys.indexOf(key); // a repeated key: the last value wins, as in a dict
  if (at >= 0) {
    found.nums[at] = v;
    found.ints[at] = int;
  } else if (found.keys.length < MAX_VALUES_PER_LINE) {
    found.keys.push(key);
    found.nums.push(v);
    found.ints.push(int);
  }
  return found;
}

/** /^\+?\d+$/ without a regex. */
function isIntegerToken(t: string): boolean {
  let i = t.charCodeAt(0) === 43 ? 1 : 0;
  if (i === t.length) return false;
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The numeric top-level fields of the first `{...}` whose first key is quoted. A small scanner
 * rather than JSON.parse: Python reprs use single quotes, `nan`, `inf`, `True`, `None`, and
 * json.dumps writes `NaN`/`Infinity`, none of which JSON.parse accepts.
 */
function parseDict(text: string): Found | null {
  for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
    const values = scanDict(text, open);
    if (values) return values;
  }
  return null;
}

function scanDict(s: string, open: number): Found | null {
  let i = open + 1;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  let found: Found | null = null;
  for (;;) {
    ws();
    const q = s[i];
    if (q !== '"' && q !== "'") return found;
    const keyEnd = skipString(s, i);
    if (keyEnd < 0) return found;
    const key = s.slice(i + 1, keyEnd - 1);
    i = keyEnd;
    ws();
    if (s[i] !== ':') return found;
    i++;
    const start = i;
    i = skipValue(s, i);
    if (i < 0) return found;
    if (key !== '' && key.length <= 128) found = put(found, key, s.slice(start, i));
    if (s[i] === ',') i++;
    else return found; // '}' or the end of a cut-off line: keep what was read
  }
}

/** Index after the quoted string starting at `i`, or -1 if unterminated. */
function skipString(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === q) return j + 1;
  }
  return -1;
}

/** Index of the `,` or `}` ending a value at depth 0 (nested containers, strings skipped). */
function skipValue(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      const end = skipString(s, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return i;
}

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

/**
 * Gives every point an integer step. Lines with a step use it; step-less lines number each
 * metric's points 0, 1, 2, … on their own, so `loss` every line and `eval_loss` every epoch
 * both plot as dense series. Keep one instance per rank.
 */
export class MetricSteps {
  private readonly next: Map<string, number>;

  /** `start`: name → next step, to continue series already stored. */
  constructor(start?: Iterable<[string, number]>) {
    this.next = new Map(start);
  }

  points(parsed: ParsedMetrics): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const name in parsed.values) out.push({ name, step: this.stepOf(name, parsed.step), value: parsed.values[name]! });
    return out;
  }

  /** The step of `name`'s point on a line whose own step is `lineStep` (null: numbered per name). */
  stepOf(name: string, lineStep: number | null): number {
    if (lineStep !== null) return lineStep;
    const step = this.next.get(name) ?? 0;
    this.next.set(name, step + 1);
    return step;
  }
}

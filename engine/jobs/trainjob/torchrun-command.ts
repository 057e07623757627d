/**
 * Recognises a trainer command that launches through torchrun (`torchrun …`, `python -m
 * torch.distributed.run|launch …`, or a `bash -c` script ending in one, as the Kubeflow SDK
 * generates) and turns it into the per-rank Python command. Local backends start the ranks
 * themselves with the env contract because torchrun may be missing or broken (Debian's torch 1.13
 * torchrun crashes on Python 3.11). Option handling follows torch/distributed/run.py. Pure.
 */
import type { ShellToken } from './shell-words.js';
import { shellQuote, splitShellWords } from './shell-words.js';

export type Launcher = 'torchrun' | 'torch.distributed.run' | 'torch.distributed.launch';

export interface TorchrunCommand {
  launcher: Launcher;
  /** argv each rank runs, as torchrun would: [python, '-u', script, …args] or [python, '-u', '-m', module, …]. */
  script: string[];
  /** Shell lines before the launcher in a `bash -c` script; run once per node before the ranks. */
  setup?: string[];
  /** --nnodes when fixed ("2" or "2:2"). */
  nnodes?: number;
  /** --nnodes "min:max" (elastic) when min ≠ max. */
  nnodesRange?: [number, number];
  nprocPerNode?: number | 'auto' | 'cpu' | 'gpu' | 'xpu';
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
  rdzvBackend?: string;
  rdzvEndpoint?: string;
  rdzvId?: string;
  standalone: boolean;
  maxRestarts?: number;
  /** torch.distributed.launch without --use-env passes `--local_rank=N` to the script; see rankArgv. */
  localRankArgAt?: number;
  /** Launcher options that do not change how ranks are started, verbatim (e.g. "--log-dir=/tmp/x"). */
  ignored: string[];
}

export interface TorchrunOptions {
  /** Interpreter for ranks when the launcher is the `torchrun` script (torchrun uses its own sys.executable). */
  python?: string;
}

const FLAGS = new Set(['standalone', 'module', 'no-python', 'run-path', 'use-env', 'virtual-local-rank']);
const WITH_VALUE = new Set([
  'nnodes', 'nproc-per-node', 'node-rank', 'master-addr', 'master-port', 'rdzv-backend', 'rdzv-endpoint',
  'rdzv-id', 'rdzv-conf', 'max-restarts', 'monitor-interval', 'start-method', 'role', 'log-dir', 'redirects',
  'tee', 'local-ranks-filter', 'local-addr', 'logs-specs', 'event-log-handler', 'numa-binding', 'signals-to-handle',
  'log-line-prefix-template', 'local-rank',
]);
const SHORT: Record<string, string> = { m: 'module', r: 'redirects', t: 'tee' };
const PY_OPTS_WITH_VALUE = new Set(['-X', '-W', '-Q']);

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const isPython = (p: string) => /^python(\d+(\.\d+)*)?$/.test(basename(p));

/** `argv` is spec.trainer.command followed by spec.trainer.args. `null` when it does not launch through torchrun. */
export function parseTorchrunCommand(argv: readonly string[], options: TorchrunOptions = {}): TorchrunCommand | null {
  return parseArgv(argv, options)?.command ?? null;
}

/** Also returns where in `argv` the training script (or module) is, so a shell line can be rebuilt. */
function parseArgv(argv: readonly string[], options: TorchrunOptions): { command: TorchrunCommand; target: number } | null {
  const [head, ...rest] = argv;
  if (head === undefined) return null;
  if (basename(head) === 'torchrun') return offset(parseLauncherArgs('torchrun', options.python ?? 'python3', rest), 1);
  if (isPython(head)) {
    let i = 0;
    while (i < rest.length && rest[i]!.startsWith('-') && rest[i] !== '-m' && rest[i] !== '-c') i += PY_OPTS_WITH_VALUE.has(rest[i]!) ? 2 : 1;
    const module = rest[i] === '-m' ? rest[i + 1] : undefined;
    if (module === 'torch.distributed.run' || module === 'torch.distributed.launch') return offset(parseLauncherArgs(module, head, rest.slice(i + 2)), i + 3);
    return null;
  }
  if (/^(ba|da|z)?sh$/.test(basename(head))) {
    const command = parseShellScript(head, rest, options);
    return command && { command, target: -1 };
  }
  return null;
}

function offset(parsed: { command: TorchrunCommand; target: number }, by: number) {
  return { command: parsed.command, target: parsed.target + by };
}

/** The argv for one local rank (adds `--local_rank=N` for torch.distributed.launch without --use-env). */
export function rankArgv(command: TorchrunCommand, localRank: number): string[] {
  if (command.localRankArgAt === undefined) return [...command.script];
  const argv = [...command.script];
  argv.splice(command.localRankArgAt, 0, `--local_rank=${localRank}`);
  return argv;
}

function parseLauncherArgs(launcher: Launcher, python: string, args: readonly string[]): { command: TorchrunCommand; target: number } {
  const result: TorchrunCommand = { launcher, script: [], standalone: false, ignored: [] };
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replace(/_/g, '-');
      value = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      name = SHORT[arg[1]!] ?? arg.slice(1);
      value = arg.length > 2 ? arg.slice(2) : undefined;
    }
    // Unknown options: treat the next word as their value unless it looks like the script.
    const takesValue = WITH_VALUE.has(name) || (!FLAGS.has(name) && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-') && !/\.py$/.test(args[i + 1]!));
    if (takesValue && value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`${launcher}: option ${arg} needs a value`);
    }
    if (!apply(result, flags, name, value, launcher)) result.ignored.push(value === undefined ? arg : `--${name}=${value}`);
  }
  const target = args[i];
  if (target === undefined) throw new Error(`${launcher}: no training script or module after the options`);
  const scriptArgs = args.slice(i + 1);
  if (flags.has('no-python') && !flags.has('run-path')) {
    if (flags.has('module')) throw new Error(`${launcher}: --no-python and --module cannot be used together`);
    result.script = [target];
  } else {
    // --run-path runs the file with runpy in the launcher's interpreter; a fresh `python -u file` is equivalent.
    result.script = [python, '-u', ...(flags.has('module') && !flags.has('run-path') ? ['-m'] : []), target];
  }
  if (launcher === 'torch.distributed.launch' && !flags.has('use-env')) result.localRankArgAt = result.script.length;
  result.script.push(...scriptArgs);
  return { command: result, target: i };
}

function apply(r: TorchrunCommand, flags: Set<string>, name: string, value: string | undefined, launcher: Launcher): boolean {
  const int = (min: number) => {
    const n = Number(value);
    if (!/^\d+$/.test(value ?? '') || n < min) throw new Error(`${launcher}: --${name} expects a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
  switch (name) {
    case 'nnodes': {
      const m = /^(\d+)(?::(\d+))?$/.exec(value ?? '');
      if (!m || Number(m[1]) < 1 || Number(m[2] ?? m[1]) < Number(m[1])) throw new Error(`${launcher}: --nnodes expects N or MIN:MAX, got ${JSON.stringify(value)}`);
      const [min, max] = [Number(m[1]), Number(m[2] ?? m[1])];
      if (min === max) r.nnodes = min;
      else r.nnodesRange = [min, max];
      return true;
    }
    case 'nproc-per-node':
      if (value === 'auto' || value === 'cpu' || value === 'gpu' || value === 'xpu') r.nprocPerNode = value;
      else r.nprocPerNode = int(1);
      return true;
    case 'node-rank':
      r.nodeRank = int(0);
      return true;
    case 'master-addr':
      r.masterAddr = value;
      return true;
    case 'master-port':
      r.masterPort = int(1);
      return true;
    case 'rdzv-backend':
      r.rdzvBackend = value;
      return true;
    case 'rdzv-endpoint':
      r.rdzvEndpoint = value;
      return true;
    case 'rdzv-id':
      r.rdzvId = value;
      return true;
    case 'max-restarts':
      r.maxRestarts = int(0);
      return true;
    case 'standalone':
      r.standalone = true;
      return true;
    case 'module':
    case 'no-python':
    case 'run-path':
    case 'use-env':
      flags.add(name);
      return true;
    default:
      return false;
  }
}

/**
 * `bash -c '<lines>\n torchrun …'`: the lines before the launcher become `setup`, run once per
 * node (running them per rank would race, e.g. several ranks rewriting the same script file).
 * When the launcher line needs the shell (a `$VAR`, or state from `cd`/`export`), each rank gets
 * the whole script instead, with the launcher replaced by `exec python -u …`.
 */
function parseShellScript(shell: string, args: readonly string[], options: TorchrunOptions): TorchrunCommand | null {
  const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
  const text = c >= 0 ? args[c + 1] : undefined;
  if (text === undefined) return null;
  const positional = args.slice(c + 2);
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && /^\s*(#.*)?$/.test(lines[last]!)) last--;
  if (last < 0) return null;
  const tokens = splitShellWords(lines[last]!);
  if (!tokens) return null;
  // Only the final command of the line launches; `cd x && torchrun …` keeps `cd x` as setup.
  const cut = tokens.map((t) => t.kind === 'op' && (t.value === '&&' || t.value === ';')).lastIndexOf(true);
  const before = tokens.slice(0, cut + 1);
  let command = tokens.slice(cut + 1);
  if (command.some((t) => t.kind === 'op')) return null;
  if (command[0]?.value === 'exec') command = command.slice(1);
  const words = command as Extract<ShellToken, { kind: 'word' }>[];
  const parsed = parseArgv(words.map((w) => w.value), options);
  if (!parsed || parsed.target < 0) return null;
  const { command: launch, target } = parsed;

  const joined = (upTo: number) => [...lines.slice(0, last), before.slice(0, upTo).map((t) => t.raw).join(' ')].join('\n').trim();
  // Run once as setup, a trailing `&&`/`;` is dropped (a failing setup stops the node anyway);
  // run per rank, `cd x && exec …` keeps its `&&` so a failing cd still stops the rank.
  const preamble = joined(-1);
  const shellOnly = withoutHeredocs(preamble);
  const stateful = words.some((w) => w.expands) || positional.length > 0 || /(^|[\s;&|(])(cd|export|source|\.|pushd|set)\s/.test(shellOnly) || /^\s*[A-Za-z_]\w*=/m.test(shellOnly);
  if (!stateful) return { ...launch, ...(preamble ? { setup: [shell, '-c', preamble] } : {}) };

  // Rebuild the launcher line from raw words so quoting and expansions survive.
  const tail = words.slice(target).map((w) => w.raw);
  const prefix = launch.script.slice(0, launch.script.length - tail.length).map(shellQuote);
  const localRank = launch.localRankArgAt === undefined ? [] : ['"--local_rank=$LOCAL_RANK"'];
  const line = [...prefix, ...tail.slice(0, 1), ...localRank, ...tail.slice(1)].join(' ');
  const { localRankArgAt: _handled, ...rest } = launch;
  const perRank = joined(before.length);
  return { ...rest, script: [shell, '-c', `${perRank ? `${perRank}\n` : ''}exec ${line}`, ...positional] };
}

/** The script without here-document bodies (the SDK embeds Python source in one), for shell-state checks. */
function withoutHeredocs(script: string): string {
  const out: string[] = [];
  let until: { word: string; tabs: boolean } | undefined;
  for (const line of script.split('\n')) {
    if (until) {
      if ((until.tabs ? line.replace(/^\t+/, '') : line) === until.word) until = undefined;
      continue;
    }
    out.push(line);
    const m = /<<(-?)\s*(['"]?)(\w+)\2/.exec(line);
    if (m) until = { word: m[3]!, tabs: m[1] === '-' };
  }
  return out.join('\n');
}

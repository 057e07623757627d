/**
 * The part of CEL that kfp's compiler writes into a pipeline spec: task conditions
 * (`triggerPolicy.condition`, e.g. `int(inputs.parameter_values['pipelinechannel--x']) > 3`,
 * `!(a) && b`, `inputs.parameter_values['t'] == true`) and input selectors
 * (`parameterExpressionSelector: parseJson(string_value)["a"]`). Literals, `inputs.*` and bare
 * identifiers, indexing and fields, `int`/`double`/`string`/`bool`/`parseJson`/`size`, `!`, unary
 * `-`, arithmetic, comparisons, `in`, `&&`, `||` and `?:`. Pure.
 */

export class CelError extends Error {}

type Token = { kind: 'num' | 'str' | 'ident' | 'op'; value: string; pos: number };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ',', '+', '-', '*', '/', '%', '?', ':'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?u?/.exec(src.slice(i))!;
      out.push({ kind: 'num', value: m[0].replace(/u$/, ''), pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new CelError(`unterminated string at ${i}`);
      out.push({ kind: 'str', value: s, pos: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelError(`unexpected "${c}" at ${i}`);
    out.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  return out;
}

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'id'; name: string }
  | { t: 'field'; of: Node; name: string }
  | { t: 'index'; of: Node; key: Node }
  | { t: 'call'; fn: string; args: Node[]; target?: Node }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'cond'; c: Node; a: Node; b: Node }
  | { t: 'list'; items: Node[] };

const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, in: 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5 };

function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (value?: string) => {
    const t = toks[p];
    if (!t || (value !== undefined && t.value !== value)) throw new CelError(`expected ${value ?? 'more'} ${t ? `at ${t.pos}, got "${t.value}"` : 'at the end'}`);
    p++;
    return t;
  };
  const expr = (): Node => {
    const c = binary(1);
    if (peek()?.value === '?') {
      eat('?');
      const a = expr();
      eat(':');
      return { t: 'cond', c, a, b: expr() };
    }
    return c;
  };
  const binary = (min: number): Node => {
    let left = unary();
    for (;;) {
      const t = peek();
      const prec = t && (t.kind === 'op' || t.value === 'in') ? PRECEDENCE[t.value] : undefined;
      if (prec === undefined || prec < min) return left;
      p++;
      left = { t: 'bin', op: t!.value, l: left, r: binary(prec + 1) };
    }
  };
  const unary = (): Node => {
    const t = peek();
    if (t?.kind === 'op' && (t.value === '!' || t.value === '-')) { p++; return { t: 'unary', op: t.value, arg: unary() }; }
    return postfix(primary());
  };
  const args = (): Node[] => {
    const list: Node[] = [];
    eat('(');
    while (peek()?.value !== ')') { list.push(expr()); if (peek()?.value === ',') p++; }
    eat(')');
    return list;
  };
  const postfix = (node: Node): Node => {
    for (;;) {
      const t = peek();
      if (t?.value === '.') {
        p++;
        const name = eat().value;
        node = peek()?.value === '(' ? { t: 'call', fn: name, args: args(), target: node } : { t: 'field', of: node, name };
      } else if (t?.value === '[') {
        p++;
        const key = expr();
        eat(']');
        node = { t: 'index', of: node, key };
      } else return node;
    }
  };
  const primary = (): Node => {
    const t = eat();
    if (t.kind === 'num') return { t: 'lit', v: Number(t.value) };
    if (t.kind === 'str') return { t: 'lit', v: t.value };
    if (t.kind === 'ident') {
      if (t.value === 'true' || t.value === 'false') return { t: 'lit', v: t.value === 'true' };
      if (t.value === 'null') return { t: 'lit', v: null };
      if (peek()?.value === '(') return { t: 'call', fn: t.value, args: args() };
      return { t: 'id', name: t.value };
    }
    if (t.value === '(') { const e = expr(); eat(')'); return e; }
    if (t.value === '[') {
      const items: Node[] = [];
      while (peek()?.value !== ']') { items.push(expr()); if (peek()?.value === ',') p++; }
      eat(']');
      return { t: 'list', items };
    }
    throw new CelError(`unexpected "${t.value}" at ${t.pos}`);
  };
  const node = expr();
  if (p < toks.length) throw new CelError(`unexpected "${toks[p]!.value}" at ${toks[p]!.pos}`);
  return node;
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new CelError(`${what} expects a number, got ${JSON.stringify(v)}`);
  return v;
}

function toInt(v: unknown): number {
  const n = typeof v === 'string' ? Number(v.trim()) : typeof v === 'boolean' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new CelError(`int() of ${JSON.stringify(v)}`);
  return Math.trunc(n);
}

function toDouble(v: unknown): number {
  const n = typeof v === 'string' ? Number(v.trim()) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new CelError(`double() of ${JSON.stringify(v)}`);
  return n;
}

function evaluate(node: Node, env: Record<string, unknown>): unknown {
  switch (node.t) {
    case 'lit': return node.v;
    case 'list': return node.items.map((n) => evaluate(n, env));
    case 'id':
      if (!(node.name in env)) throw new CelError(`unknown name "${node.name}"`);
      return env[node.name];
    case 'field': {
      const of = evaluate(node.of, env);
      if (typeof of !== 'object' || of === null || !(node.name in of)) throw new CelError(`no field "${node.name}"`);
      return (of as Record<string, unknown>)[node.name];
    }
    case 'index': {
      const of = evaluate(node.of, env);
      const key = evaluate(node.key, env);
      if (Array.isArray(of)) {
        const i = num(key, 'a list index');
        if (i < 0 || i >= of.length) throw new CelError(`index ${i} out of range (size ${of.length})`);
        return of[i];
      }
      if (typeof of === 'object' && of !== null && typeof key === 'string') {
        if (!(key in of)) throw new CelError(`no key "${key}"`);
        return (of as Record<string, unknown>)[key];
      }
      throw new CelError(`cannot index ${JSON.stringify(of)} with ${JSON.stringify(key)}`);
    }
    case 'call': {
      const args = [...(node.target ? [node.target] : []), ...node.args].map((a) => evaluate(a, env));
      switch (node.fn) {
        case 'int': return toInt(args[0]);
        case 'uint': return Math.abs(toInt(args[0]));
        case 'double': return toDouble(args[0]);
        case 'string': return typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
        case 'bool': return typeof args[0] === 'string' ? args[0].toLowerCase() === 'true' : Boolean(args[0]);
        case 'parseJson': {
          if (typeof args[0] !== 'string') return args[0];
          try { return JSON.parse(args[0]); } catch { throw new CelError(`parseJson of text that is not JSON: ${args[0].slice(0, 80)}`); }
        }
        case 'size': {
          const v = args[0];
          if (typeof v === 'string' || Array.isArray(v)) return v.length;
          if (typeof v === 'object' && v !== null) return Object.keys(v).length;
          throw new CelError('size() of a value without a size');
        }
        default: throw new CelError(`the function ${node.fn}() is not supported`);
      }
    }
    case 'unary': {
      const v = evaluate(node.arg, env);
      if (node.op === '!') { if (typeof v !== 'boolean') throw new CelError(`! expects true or false, got ${JSON.stringify(v)}`); return !v; }
      return -num(v, 'unary -');
    }
    case 'cond': return evaluate(node.c, env) ? evaluate(node.a, env) : evaluate(node.b, env);
    case 'bin': {
      if (node.op === '&&') return evaluate(node.l, env) === true && evaluate(node.r, env) === true;
      if (node.op === '||') return evaluate(node.l, env) === true || evaluate(node.r, env) === true;
      const l = evaluate(node.l, env);
      const r = evaluate(node.r, env);
      switch (node.op) {
        case '==': return equal(l, r);
        case '!=': return !equal(l, r);
        case 'in': return Array.isArray(r) ? r.some((x) => equal(x, l)) : typeof r === 'object' && r !== null && typeof l === 'string' && l in r;
        case '<': case '<=': case '>': case '>=': {
          if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) throw new CelError(`cannot compare ${JSON.stringify(l)} ${node.op} ${JSON.stringify(r)}`);
          return node.op === '<' ? l < r : node.op === '<=' ? l <= r : node.op === '>' ? l > r : l >= r;
        }
        case '+':
          if (typeof l === 'string' && typeof r === 'string') return l + r;
          if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
          return num(l, '+') + num(r, '+');
        case '-': return num(l, '-') - num(r, '-');
        case '*': return num(l, '*') * num(r, '*');
        case '/': return num(l, '/') / num(r, '/');
        case '%': return num(l, '%') % num(r, '%');
      }
      throw new CelError(`operator ${node.op} is not supported`);
    }
  }
}

/** Evaluates `expression` with the given names bound (e.g. `inputs`, `string_value`). Throws CelError. */
export function evalCel(expression: string, env: Record<string, unknown>): unknown {
  return evaluate(parse(expression), env);
}

/** A task condition: `inputs.parameter_values` bound to the task's resolved parameters. */
export function evalCondition(expression: string, parameterValues: Record<string, unknown>): boolean {
  const v = evalCel(expression, { inputs: { parameter_values: parameterValues, parameterValues } });
  if (typeof v !== 'boolean') throw new CelError(`the condition gave ${JSON.stringify(v)}, not true or false`);
  return v;
}

/** parameterExpressionSelector: the input's value as `string_value` (JSON for non-strings) and typed views. */
export function evalSelector(expression: string, value: unknown): unknown {
  const stringValue = typeof value === 'string' ? value : JSON.stringify(value);
  return evalCel(expression, {
    string_value: stringValue,
    number_value: typeof value === 'number' ? value : null,
    bool_value: typeof value === 'boolean' ? value : null,
    struct_value: typeof value === 'object' && !Array.isArray(value) ? value : null,
    list_value: Array.isArray(value) ? value : null,
  });
}

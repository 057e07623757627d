/**
 * Just enough POSIX shell word splitting to find a `torchrun …` line inside a `bash -c` script
 * (the form the Kubeflow SDK generates). Each word keeps its raw text, so a line can be rebuilt
 * with its quoting and `$VAR` expansions intact. Pure.
 */

export type ShellToken = { kind: 'word'; value: string; raw: string; expands: boolean } | { kind: 'op'; value: string; raw: string };

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '>>', '>', '<'];

/** Tokens of one line, or `null` when quoting is unbalanced. A `#` at a word start ends the line. */
export function splitShellWords(line: string): ShellToken[] | null {
  const tokens: ShellToken[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') break;
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, raw: op });
      i += op.length;
      continue;
    }
    const start = i;
    let value = '';
    let expands = false;
    while (i < line.length && !' \t'.includes(line[i]!) && !OPERATORS.some((o) => line.startsWith(o, i))) {
      const c = line[i]!;
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) return null;
        value += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= line.length) return null;
          const d = line[i]!;
          if (d === '"') break;
          if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
            value += line[i + 1];
            i += 2;
            continue;
          }
          if (d === '$' || d === '`') expands = true;
          value += d;
          i++;
        }
        i++;
      } else if (c === '\\') {
        if (i + 1 >= line.length) return null;
        value += line[i + 1];
        i += 2;
      } else {
        if (c === '$' || c === '`' || c === '*' || c === '?' || c === '~') expands = true;
        value += c;
        i++;
      }
    }
    tokens.push({ kind: 'word', value, raw: line.slice(start, i), expands });
  }
  return tokens;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

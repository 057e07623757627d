import { describe, expect, it } from 'vitest';
import { shellQuote, splitShellWords } from './shell-words.js';

const values = (line: string) => splitShellWords(line)?.map((t) => t.value);

describe('splitShellWords', () => {
  it('splits on blanks and removes quoting', () => {
    expect(values(`torchrun  'a b' "c d" e\\ f --x="1 2"`)).toEqual(['torchrun', 'a b', 'c d', 'e f', '--x=1 2']);
  });

  it('keeps raw text and marks words the shell would expand', () => {
    const tokens = splitShellWords(`python "$dir/train.py" 'literal$' plain`)!;
    expect(tokens.map((t) => [t.raw, t.kind === 'word' && t.expands])).toEqual([
      ['python', false],
      ['"$dir/train.py"', true],
      [`'literal$'`, false],
      ['plain', false],
    ]);
  });

  it('recognises operators and comments', () => {
    expect(values('cd /w && torchrun t.py; echo ok # done')).toEqual(['cd', '/w', '&&', 'torchrun', 't.py', ';', 'echo', 'ok']);
    expect(splitShellWords('a | b')!.map((t) => t.kind)).toEqual(['word', 'op', 'word']);
  });

  it('handles escapes inside double quotes', () => {
    expect(values(`"a \\"b\\" \\$c"`)).toEqual(['a "b" $c']);
  });

  it('returns null for unbalanced quotes', () => {
    expect(splitShellWords(`"open`)).toBeNull();
    expect(splitShellWords(`'open`)).toBeNull();
  });
});

describe('shellQuote', () => {
  it('quotes only when needed', () => {
    expect(shellQuote('/usr/bin/python3')).toBe('/usr/bin/python3');
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});

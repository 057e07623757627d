import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  MAX_RECORD_TEXT_BYTES,
  RecordEncoder,
  formatRecord,
  parseRecord,
  splitLongLine,
  stripAnsi,
} from './log-format.js';

const feed = (splitter: LineSplitter, chunks: Array<string | Uint8Array>): string[] => [
  ...chunks.flatMap((c) => splitter.push(c)),
  ...splitter.flush(),
];

describe('LineSplitter', () => {
  it('emits complete lines and keeps the tail until more arrives', () => {
    const s = new LineSplitter();
    expect(s.push('one\ntw')).toEqual(['one']);
    expect(s.push('o\nthr')).toEqual(['two']);
    expect(s.push('ee')).toEqual([]);
    expect(s.flush()).toEqual(['three']);
    expect(s.flush()).toEqual([]);
  });

  it('reassembles UTF-8 characters split across chunks at every byte', () => {
    const text = 'größe 😀 €\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(feed(new LineSplitter(), [bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['größe 😀 €']);
    }
    // one byte at a time
    expect(feed(new LineSplitter(), [...bytes].map((b) => Uint8Array.of(b)))).toEqual(['größe 😀 €']);
  });

  it('treats CRLF as one line end, also when split between chunks', () => {
    expect(feed(new LineSplitter(), ['a\r\nb\r\n'])).toEqual(['a', 'b']);
    expect(feed(new LineSplitter(), ['a\r', '\nb\r', '', '\n'])).toEqual(['a', 'b']);
    expect(feed(new LineSplitter(), [Buffer.from('a\r'), Buffer.from('\nb')])).toEqual(['a', 'b']);
  });

  it('ends a line at a bare CR (progress bar redraws)', () => {
    expect(feed(new LineSplitter(), ['10%|#  |\r50%|## |\r100%|###|\ndone\n'])).toEqual([
      '10%|#  |',
      '50%|## |',
      '100%|###|',
      'done',
    ]);
    expect(feed(new LineSplitter(), ['a\r', 'b\r'])).toEqual(['a', 'b']);
    expect(feed(new LineSplitter(), ['a\r\r\n'])).toEqual(['a', '']);
  });

  it('keeps empty lines', () => {
    expect(feed(new LineSplitter(), ['\n\nx\n\n'])).toEqual(['', '', 'x', '']);
    expect(feed(new LineSplitter(), [''])).toEqual([]);
  });

  it('splits long lines into pieces of at most maxBytes without cutting characters', () => {
    const s = new LineSplitter(16);
    const line = 'é'.repeat(20) + '😀'.repeat(5) + 'abc';
    const pieces = feed(s, [line + '\nnext\n']);
    expect(pieces.slice(0, -1).join('')).toBe(line);
    expect(pieces.at(-1)).toBe('next');
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(16);
    expect(pieces.join('')).not.toContain('\ufffd');
  });

  it('bounds its buffer while a line never ends, and emits no empty record after it', () => {
    const s = new LineSplitter(1024);
    const out: string[] = [];
    for (let i = 0; i < 100; i++) out.push(...s.push('x'.repeat(100)));
    expect(out.length).toBeGreaterThanOrEqual(8);
    out.push(...s.push('\n'), ...s.flush());
    expect(out.join('')).toBe('x'.repeat(10_000));
    expect(out.every((p) => p.length > 0 && p.length <= 1024)).toBe(true);
  });

  it('defaults to 64 KiB records', () => {
    const pieces = feed(new LineSplitter(), ['a'.repeat(MAX_RECORD_TEXT_BYTES * 2 + 5) + '\n']);
    expect(pieces.map((p) => p.length)).toEqual([MAX_RECORD_TEXT_BYTES, MAX_RECORD_TEXT_BYTES, 5]);
  });

  it('flush returns a cut-off character as U+FFFD rather than dropping the tail', () => {
    const s = new LineSplitter();
    s.push(Buffer.from([0x61, 0xe2, 0x82])); // 'a' + 2 of the 3 bytes of '€'
    expect(s.flush()).toEqual(['a\ufffd']);
  });
});

describe('splitLongLine', () => {
  it('leaves short lines alone and splits surrogate pairs as a whole', () => {
    expect(splitLongLine('abc', 4)).toEqual(['abc']);
    expect(splitLongLine('😀😀😀', 4)).toEqual(['😀', '😀', '😀']);
    expect(splitLongLine('a😀', 4)).toEqual(['a', '😀']);
  });
});

describe('record format', () => {
  it('round-trips text with spaces, ANSI escapes and unicode', () => {
    for (const text of ['', ' leading', 'a  b ', '\x1b[31mred\x1b[0m', 'ü😀', '123 o nested', '\t']) {
      const line = formatRecord({ ts: 1_700_000_000_123, stream: 'e', text });
      expect(line.endsWith('\n')).toBe(true);
      expect(parseRecord(line.slice(0, -1))).toEqual({ ts: 1_700_000_000_123, stream: 'e', text });
      expect(parseRecord(line)).toEqual({ ts: 1_700_000_000_123, stream: 'e', text });
    }
  });

  it('never writes a newline inside a record', () => {
    expect(formatRecord({ ts: 1, stream: 'o', text: 'a\r\nb\nc\rd' })).toBe('1 o a b c d\n');
  });

  it.each(['', 'hello', '12x o a', '1 x a', '1 oa', ' 1 o a', '1  o a', '12345678901234567 o a'])(
    'rejects %j',
    (line) => expect(parseRecord(line)).toBeNull(),
  );

  it('accepts a record whose empty text lost its trailing space', () => {
    expect(parseRecord('5 o')).toEqual({ ts: 5, stream: 'o', text: '' });
  });
});

describe('RecordEncoder', () => {
  it('formats complete lines of one stream with the time they arrived', () => {
    let now = 100;
    const enc = new RecordEncoder('o', () => now);
    expect(enc.push('a\nb')).toBe('100 o a\n');
    now = 200;
    expect(enc.push(Buffer.from('\r\n'))).toBe('200 o b\n');
    expect(enc.push('tail')).toBe('');
    now = 300;
    expect(enc.flush()).toBe('300 o tail\n');
    expect(enc.flush()).toBe('');
  });
});

describe('stripAnsi', () => {
  it('removes colours, cursor moves, OSC titles and hyperlinks', () => {
    expect(stripAnsi('\x1b[1;32mok\x1b[0m \x1b[2K\x1b[1Gx')).toBe('ok x');
    expect(stripAnsi('\x1b]0;title\x07text')).toBe('text');
    expect(stripAnsi('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(stripAnsi('plain')).toBe('plain');
  });
});

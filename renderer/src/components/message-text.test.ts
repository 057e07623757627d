import { describe, expect, it } from 'vitest';
import { splitCodeSpans } from './message-text';

describe('splitCodeSpans', () => {
  it('turns backtick spans into code parts', () => {
    expect(splitCodeSpans('is `kfd serve` still running?')).toEqual([
      { code: false, text: 'is ' },
      { code: true, text: 'kfd serve' },
      { code: false, text: ' still running?' },
    ]);
    expect(splitCodeSpans('`a``b`')).toEqual([
      { code: true, text: 'a' },
      { code: true, text: 'b' },
    ]);
  });
  it('leaves plain text and unmatched backticks alone', () => {
    expect(splitCodeSpans('plain')).toEqual([{ code: false, text: 'plain' }]);
    expect(splitCodeSpans('one ` tick')).toEqual([{ code: false, text: 'one ` tick' }]);
    expect(splitCodeSpans('')).toEqual([]);
  });
});

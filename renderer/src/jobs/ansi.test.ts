import { describe, expect, it } from 'vitest';
import { ansiSegments, paletteColor, stripAnsi } from './ansi';

const joined = (text: string) => ansiSegments(text).map((s) => s.text).join('');

describe('ansiSegments', () => {
  it('passes plain text through as one unstyled segment', () => {
    expect(ansiSegments('epoch 1 loss=0.31')).toEqual([{ text: 'epoch 1 loss=0.31', className: '' }]);
    expect(ansiSegments('')).toEqual([]);
  });
  it('turns basic colours and decorations into classes', () => {
    expect(ansiSegments('\x1b[31mERROR\x1b[0m done')).toEqual([
      { text: 'ERROR', className: 'fg-red' },
      { text: ' done', className: '' },
    ]);
    expect(ansiSegments('\x1b[1;92;44mok\x1b[0m')).toEqual([{ text: 'ok', className: 'fg-bright-green bg-blue ansi-bold' }]);
    expect(ansiSegments('\x1b[4munder\x1b[24m')[0]).toEqual({ text: 'under', className: 'ansi-underline' });
  });
  it('turns 256-palette and true colours into rgb(), and forgets them after a reset', () => {
    expect(ansiSegments('\x1b[38;5;208mo\x1b[0m')).toEqual([{ text: 'o', className: '', color: 'rgb(255, 135, 0)' }]);
    const segs = ansiSegments('\x1b[38;2;10;20;30mtc\x1b[0m \x1b[91mbright');
    expect(segs[0]).toEqual({ text: 'tc', className: '', color: 'rgb(10, 20, 30)' });
    expect(segs[2]).toEqual({ text: 'bright', className: 'fg-bright-red' });
    expect(ansiSegments('\x1b[48;5;240mg')[0]).toEqual({ text: 'g', className: '', background: 'rgb(88, 88, 88)' });
  });
  it('drops escapes that are not colours (cursor moves, titles, links) and control characters', () => {
    const text = '\x1b[2K\x1b[1Gprogress\x1b]0;title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ 50%\r\x08';
    expect(joined(text)).toBe('progress link 50%');
    expect(stripAnsi(text)).toBe('progress link 50%');
  });
  it('shows exactly what stripAnsi says (search offsets line up with segments)', () => {
    const samples = [
      'plain',
      '\x1b[31mred\x1b[0m',
      '\x1b[1m\x1b[33mwarn:\x1b[0m \x1b[38;5;2mx\x1b[m y',
      'tab\there \x1b[7mrev\x1b[27m',
      'bad \x1b[ escape \x1b',
      '\x1b[?25lhidden cursor\x1b[?25h',
    ];
    for (const s of samples) expect(joined(s)).toBe(stripAnsi(s));
  });
  it('handles a 64 KiB line', () => {
    const long = `\x1b[32m${'x'.repeat(64 * 1024)}\x1b[0m`;
    const t0 = performance.now();
    const segs = ansiSegments(long);
    expect(segs).toHaveLength(1);
    expect(segs[0]!.text).toHaveLength(64 * 1024);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('paletteColor', () => {
  it('covers the cube and the greys', () => {
    expect(paletteColor(16)).toBe('rgb(0, 0, 0)');
    expect(paletteColor(231)).toBe('rgb(255, 255, 255)');
    expect(paletteColor(196)).toBe('rgb(255, 0, 0)');
    expect(paletteColor(232)).toBe('rgb(8, 8, 8)');
    expect(paletteColor(255)).toBe('rgb(238, 238, 238)');
    expect(paletteColor(3)).toBeUndefined();
  });
});

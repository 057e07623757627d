import { describe, expect, it } from 'vitest';
import { paletteColor } from '../jobs/ansi';
import { contrast, readableColor } from './ansi-contrast';

const rgb = (css: string) => css.match(/\d+/g)!.map(Number) as unknown as [number, number, number];
const DARK: [number, number, number] = [0x1f, 0x1f, 0x1f];
const WHITE: [number, number, number] = [255, 255, 255];

describe('traceback colours on our themes', () => {
  it('lifts IPython\'s pure-blue function names and dark-red strings to 4.5:1 on the dark theme', () => {
    for (const index of [21, 124]) {
      const original = paletteColor(index)!;
      expect(contrast(rgb(original), DARK)).toBeLessThan(4.5);
      const fixed = readableColor(original, true);
      expect(contrast(rgb(fixed), DARK)).toBeGreaterThanOrEqual(4.5);
      // Still the same hue family: blue stays bluest, red stays reddest.
      const [r, g, b] = rgb(fixed);
      expect(index === 21 ? b : r).toBe(Math.max(r, g, b));
    }
  });

  it('leaves colours that already read well alone, and darkens pale ones on the light theme', () => {
    const green = paletteColor(28)!; // keywords: fine on white
    expect(readableColor(green, false)).toBe(green);
    const paleYellow = paletteColor(228)!;
    expect(contrast(rgb(readableColor(paleYellow, false)), WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(readableColor('var(--x)', true)).toBe('var(--x)');
  });
});

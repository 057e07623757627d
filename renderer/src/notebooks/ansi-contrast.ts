/**
 * Tracebacks colour code with xterm's 256 palette (IPython's pygments styles: pure blue
 * function names, dark red strings), chosen for a light terminal. On our dark theme some of
 * those are unreadable, and a light one can get pale yellows. This lightens (dark theme) or
 * darkens (light theme) such a colour just enough to reach WCAG's 4.5:1 against the page. Pure.
 */

const DARK_BG = [0x1f, 0x1f, 0x1f] as const;
const LIGHT_BG = [0xff, 0xff, 0xff] as const;
const MIN_CONTRAST = 4.5;

type Rgb = readonly [number, number, number];

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function parseRgb(css: string): Rgb | null {
  const m = /^rgb\(\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3})\s*\)$/.exec(css.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** `css` (an `rgb()` colour) made readable on the theme's background; anything else unchanged. */
export function readableColor(css: string, dark: boolean): string {
  const rgb = parseRgb(css);
  if (!rgb) return css;
  const bg = dark ? DARK_BG : LIGHT_BG;
  const toward = dark ? 255 : 0;
  let c: Rgb = rgb;
  for (let step = 1; contrast(c, bg) < MIN_CONTRAST && step <= 10; step++) {
    const t = step / 10;
    c = rgb.map((v) => Math.round(v + (toward - v) * t)) as unknown as Rgb;
  }
  return c === rgb ? css : `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/**
 * ANSI-coloured log text → styled segments (anser's JSON output), so the log view builds plain
 * React spans: no HTML strings anywhere. Pure; tested in node.
 *
 * The 16 basic colours become class names (themed in CSS for dark and light); 256-palette and
 * true colours become an inline `rgb()`. Escapes that are not colours (cursor moves, window
 * titles, hyperlinks) and stray control characters are dropped, so what is shown is exactly
 * `stripAnsi(text)`.
 */
import Anser from 'anser';

export interface Segment {
  text: string;
  /** Space-separated classes: `fg-red`, `bg-bright-blue`, `ansi-bold`, …; empty for plain text. */
  className: string;
  color?: string;
  background?: string;
}

// CSI other than SGR (`…m`), OSC (ended by BEL or ST), other two-byte escapes, C0 controls but tab.
const NON_SGR = /\x1b\[[0-?]*[ -/]*[@-ln-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\^_]|\x1b(?![[\]@-Z\\^_])|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;
const SGR = /\x1b\[[0-?]*[ -/]*m/g;
// Cheap test first: most lines have no escape or control characters at all.
const NEEDS_WORK = /[\x00-\x08\x0b-\x1f\x7f]/;

/** The text as the log view shows it: every escape sequence and control character removed. */
export function stripAnsi(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(NON_SGR, '').replace(SGR, '');
}

/** xterm's 256-colour palette entries 16–255 (the 6×6×6 cube, then 24 greys) as `rgb()`. */
export function paletteColor(index: number): string | undefined {
  if (!Number.isInteger(index) || index < 16 || index > 255) return undefined;
  if (index >= 232) {
    const v = 8 + (index - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const n = index - 16;
  const level = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${level(Math.floor(n / 36))}, ${level(Math.floor(n / 6) % 6)}, ${level(n % 6)})`;
}

/** anser's `ansi-bright-red` / `ansi-palette-208` / `ansi-truecolor` → class or colour. */
function colour(value: string | null, truecolor: string | null): { cls?: string; css?: string } {
  if (!value) return {};
  if (value === 'ansi-truecolor') return truecolor ? { css: `rgb(${truecolor})` } : {};
  const palette = /^ansi-palette-(\d+)$/.exec(value);
  if (palette) return { css: paletteColor(Number(palette[1])) };
  return value.startsWith('ansi-') ? { cls: value.slice(5) } : {};
}

const DECORATIONS = new Set(['bold', 'dim', 'italic', 'underline', 'strikethrough', 'hidden']);

export function ansiSegments(text: string): Segment[] {
  if (!NEEDS_WORK.test(text)) return text === '' ? [] : [{ text, className: '' }];
  const cleaned = text.replace(NON_SGR, '');
  const out: Segment[] = [];
  for (const entry of Anser.ansiToJson(cleaned, { use_classes: true, remove_empty: true })) {
    if (entry.content === '') continue;
    // anser keeps a stale true colour after a reset: only read it when the colour says so.
    const fg = colour(entry.fg, entry.fg === 'ansi-truecolor' ? entry.fg_truecolor : null);
    const bg = colour(entry.bg, entry.bg === 'ansi-truecolor' ? entry.bg_truecolor : null);
    const classes: string[] = [];
    if (fg.cls) classes.push(`fg-${fg.cls}`);
    if (bg.cls) classes.push(`bg-${bg.cls}`);
    for (const d of entry.decorations) if (DECORATIONS.has(d)) classes.push(`ansi-${d}`);
    const seg: Segment = { text: entry.content, className: classes.join(' ') };
    if (fg.css) seg.color = fg.css;
    if (bg.css) seg.background = bg.css;
    const prev = out[out.length - 1];
    if (prev && prev.className === seg.className && prev.color === seg.color && prev.background === seg.background) {
      prev.text += seg.text; // same style: one span
    } else {
      out.push(seg);
    }
  }
  return out;
}

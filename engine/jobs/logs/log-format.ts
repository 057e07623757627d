/**
 * The per-rank log file format: one record per line, `<epoch ms> <o|e> <text>\n`.
 *
 * Plain text (not JSON) so a user can `tail -f` the file, and so a reader can find record
 * boundaries by scanning for the byte 0x0A alone (UTF-8 never uses it inside a character).
 * The text is the raw output line with ANSI escapes kept, so the UI can still colour it.
 */
import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'o' | 'e';

export interface LogRecord {
  ts: number;
  stream: LogStream;
  text: string;
}

/**
 * Longest record text in UTF-8 bytes. Longer output lines become several records, so readers
 * and the wrapper's memory stay bounded even if a program prints megabytes without a newline.
 */
export const MAX_RECORD_TEXT_BYTES = 64 * 1024;

/**
 * Turns raw pipe chunks into complete lines. Chunks may end inside a UTF-8 character or a
 * line; `\n`, `\r\n` and a bare `\r` (progress bar redraws) all end a line.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  // A chunk ended right after `\r`: a `\n` opening the next chunk belongs to that same `\r\n`.
  private afterCR = false;

  constructor(private readonly maxBytes = MAX_RECORD_TEXT_BYTES) {
    if (maxBytes < 4) throw new RangeError('maxBytes must be at least 4 (one UTF-8 character)');
  }

  push(chunk: string | Uint8Array): string[] {
    return this.take(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  /** Call once at end of stream: returns the unterminated tail (and any cut UTF-8 as U+FFFD). */
  flush(): string[] {
    const out = this.take(this.decoder.end());
    if (this.pending !== '') out.push(...splitLongLine(this.pending, this.maxBytes));
    this.pending = '';
    this.afterCR = false;
    return out;
  }

  private take(text: string): string[] {
    const out: string[] = [];
    let start = 0;
    if (this.afterCR && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.afterCR = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.pending + text.slice(start, i);
      this.pending = '';
      if (line.length * 3 <= this.maxBytes) out.push(line);
      else out.push(...splitLongLine(line, this.maxBytes));
      if (c === 13) {
        if (i + 1 === text.length) this.afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.pending += text.slice(start);
    // 3 bytes per UTF-16 unit is the worst case, so the exact byte count is rarely needed.
    if (this.pending.length * 3 > this.maxBytes && Buffer.byteLength(this.pending) > this.maxBytes) {
      const pieces = splitLongLine(this.pending, this.maxBytes);
      this.pending = pieces.pop() ?? '';
      out.push(...pieces);
    }
    return out;
  }
}

/** Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes without splitting a character. */
export function splitLongLine(text: string, maxBytes = MAX_RECORD_TEXT_BYTES): string[] {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    const units = pair ? 2 : 1;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += units;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** One record as it is written, newline included. A stray CR/LF in `text` becomes a space. */
export function formatRecord(record: LogRecord): string {
  const text = /[\r\n]/.test(record.text) ? record.text.replace(/\r\n|[\r\n]/g, ' ') : record.text;
  return `${Math.trunc(record.ts)} ${record.stream} ${text}\n`;
}

/** Formats several lines that arrived together; they share one timestamp. */
export function encodeRecords(lines: readonly string[], stream: LogStream, ts: number): string {
  let out = '';
  for (const text of lines) out += formatRecord({ ts, stream, text });
  return out;
}

/**
 * What a capture wrapper needs: raw chunks of one stream in, formatted records out
 * (`''` when no line is complete yet). Write the result with one write call per chunk.
 */
export class RecordEncoder {
  private readonly splitter: LineSplitter;

  constructor(
    readonly stream: LogStream,
    private readonly now: () => number = Date.now,
    maxBytes = MAX_RECORD_TEXT_BYTES,
  ) {
    this.splitter = new LineSplitter(maxBytes);
  }

  push(chunk: string | Uint8Array): string {
    const lines = this.splitter.push(chunk);
    return lines.length === 0 ? '' : encodeRecords(lines, this.stream, this.now());
  }

  flush(): string {
    const lines = this.splitter.flush();
    return lines.length === 0 ? '' : encodeRecords(lines, this.stream, this.now());
  }
}

/** Parses one line (without or with its `\n`); `null` if it is not a record. */
export function parseRecord(line: string): LogRecord | null {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  const sp = line.indexOf(' ');
  if (sp < 1 || sp > 16) return null;
  for (let i = 0; i < sp; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const stream = line[sp + 1];
  if (stream !== 'o' && stream !== 'e') return null;
  let text: string;
  if (line.length === sp + 2) text = ''; // tolerate a writer that dropped the trailing space
  else if (line.charCodeAt(sp + 2) === 32) text = line.slice(sp + 3);
  else return null;
  return { ts: Number(line.slice(0, sp)), stream, text };
}

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;

/** Text as a user reads it: used for searching and metric parsing, never for storage. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRecord, type LogRecord } from './log-format.js';
import { tailJobLogs, type LogTail } from './log-tailer.js';

let dir: string;
const tails: LogTail[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-tail-'));
});
afterEach(async () => {
  for (const t of tails.splice(0)) await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const collect = (logDir: string, fromOffsets?: Record<number, number>) => {
  const seen = new Map<number, string[]>();
  let batches = 0;
  const errors: unknown[] = [];
  const tail = tailJobLogs({
    logDir,
    fromOffsets,
    onRecords(rank, records: LogRecord[]) {
      batches++;
      seen.set(rank, [...(seen.get(rank) ?? []), ...records.map((r) => r.text)]);
    },
    onError: (err) => errors.push(err),
  });
  tails.push(tail);
  return { tail, seen, errors, batches: () => batches };
};
const line = (ts: number, text: string) => formatRecord({ ts, stream: 'o', text });
const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

// Appends records with small delays; every 7th record is written in two parts, the second
// after a pause, so the tailer sees half records. Rank 1's file only appears halfway through.
const WRITER = `
const fs = require('fs'); const path = require('path');
const [dir, n] = [process.argv[1], Number(process.argv[2])];
const fds = [fs.openSync(path.join(dir, 'rank-0.log'), 'a')];
let i = 0;
const rec = (k) => Buffer.from(Date.now() + ' o line ' + k + ' \u00fc\u20ac\\n');
function next() {
  if (i === n) { fds.forEach((fd) => fs.closeSync(fd)); return; }
  if (i === n / 2) fds.push(fs.openSync(path.join(dir, 'rank-1.log'), 'a'));
  if (fds[1] !== undefined) fs.writeSync(fds[1], rec(i));
  const b = rec(i);
  if (i % 7 === 3) {
    const cut = 1 + (i % (b.length - 1));
    fs.writeSync(fds[0], b.subarray(0, cut));
    return setTimeout(() => { fs.writeSync(fds[0], b.subarray(cut)); i++; setTimeout(next, i % 3); }, 5);
  }
  fs.writeSync(fds[0], b); i++;
  setTimeout(next, i % 3);
}
next();
`;

describe('tailJobLogs', () => {
  it('follows files appended by another process: every line once, in order', async () => {
    const n = 400;
    const { tail, seen, errors, batches } = collect(dir);
    const child = spawn(process.execPath, ['-e', WRITER, dir, String(n)], { stdio: 'inherit' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await tail.poll();
    const expected = Array.from({ length: n }, (_, i) => `line ${i} ü€`);
    expect(seen.get(0)).toEqual(expected);
    expect(seen.get(1)).toEqual(expected.slice(n / 2));
    expect(batches()).toBeGreaterThan(2); // delivered while the writer ran, not all at the end
    expect(errors).toEqual([]);
    const size = fs.statSync(path.join(dir, 'rank-0.log')).size;
    expect(tail.offsets()[0]).toBe(size);
  });

  it('holds back a partial last line until its newline arrives', async () => {
    const file = path.join(dir, 'rank-0.log');
    fs.writeFileSync(file, line(1, 'whole') + '2 o hal');
    const { tail, seen } = collect(dir);
    await tail.poll();
    expect(seen.get(0)).toEqual(['whole']);
    fs.appendFileSync(file, 'f\n');
    await tail.poll();
    expect(seen.get(0)).toEqual(['whole', 'half']);
  });

  it('picks up new records without being polled (watch or timer)', async () => {
    const { seen } = collect(dir);
    fs.writeFileSync(path.join(dir, 'rank-3.log'), line(1, 'hello'));
    await waitFor(() => seen.get(3)?.length === 1);
    fs.appendFileSync(path.join(dir, 'rank-3.log'), line(2, 'again'));
    await waitFor(() => seen.get(3)?.length === 2);
    expect(seen.get(3)).toEqual(['hello', 'again']);
  });

  it('resumes from saved offsets and starts unknown ranks at 0', async () => {
    const f0 = path.join(dir, 'rank-0.log');
    fs.writeFileSync(f0, line(1, 'a') + line(2, 'b'));
    const first = collect(dir);
    await first.tail.poll();
    await first.tail.stop();
    const saved = first.tail.offsets();
    expect(saved).toEqual({ 0: fs.statSync(f0).size });

    fs.appendFileSync(f0, line(3, 'c'));
    fs.writeFileSync(path.join(dir, 'rank-1.log'), line(4, 'x'));
    const second = collect(dir, saved);
    await second.tail.poll();
    expect(second.seen.get(0)).toEqual(['c']);
    expect(second.seen.get(1)).toEqual(['x']);
  });

  it('starts over when a rank file was replaced by a shorter one', async () => {
    const f0 = path.join(dir, 'rank-0.log');
    fs.writeFileSync(f0, line(1, 'old run, long line') + line(2, 'old'));
    const { tail, seen } = collect(dir);
    await tail.poll();
    fs.rmSync(f0);
    fs.writeFileSync(f0, line(3, 'new'));
    await tail.poll();
    expect(seen.get(0)).toEqual(['old run, long line', 'old', 'new']);
  });

  it('starts over when a rank file was replaced by a longer one (new inode)', async () => {
    const f0 = path.join(dir, 'rank-0.log');
    fs.writeFileSync(f0, line(1, 'old'));
    const { tail, seen } = collect(dir);
    await tail.poll();
    const replacement = path.join(dir, 'rank-0.log.new');
    fs.writeFileSync(replacement, line(2, 'new run, a much longer first line') + line(3, 'second'));
    fs.renameSync(replacement, f0);
    await tail.poll();
    expect(seen.get(0)).toEqual(['old', 'new run, a much longer first line', 'second']);
  });

  it('waits for a log dir that does not exist yet, ignores other files', async () => {
    const logDir = path.join(dir, 'job', 'logs');
    const { tail, seen } = collect(logDir);
    await tail.poll();
    expect(seen.size).toBe(0);
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(path.join(logDir, 'rank-0.log'), line(1, 'up'));
    fs.writeFileSync(path.join(logDir, 'rank-0.idx'), '{}\n');
    fs.writeFileSync(path.join(logDir, 'notes.txt'), 'x\n');
    await tail.poll();
    expect([...seen.entries()]).toEqual([[0, ['up']]]);
  });

  it('reports a throwing callback and keeps going; no callback after stop', async () => {
    const f0 = path.join(dir, 'rank-0.log');
    fs.writeFileSync(f0, line(1, 'a'));
    const errors: unknown[] = [];
    let calls = 0;
    const tail = tailJobLogs({
      logDir: dir,
      pollMs: 20,
      onRecords: () => {
        calls++;
        throw new Error('consumer bug');
      },
      onError: (err) => errors.push(err),
    });
    tails.push(tail);
    await tail.poll();
    fs.appendFileSync(f0, line(2, 'b'));
    await tail.poll();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
    await tail.stop();
    fs.appendFileSync(f0, line(3, 'c'));
    await new Promise((r) => setTimeout(r, 100));
    await tail.poll();
    expect(calls).toBe(2);
  });
});

// The log copier on the engine's multiplexed, timestamped log format (a recorded stream, no engine).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecord } from '../../jobs/logs/log-format.js';
import { containerFiles, newNodeRecord, type NodeRecord } from './job-record.js';
import { NodeLogCopier, sinceParam, splitTimestamp } from './log-copier.js';
import { outcomeOf } from './outcome.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** One log entry as the engine sends it: [stream, 0, 0, 0, size] + "<RFC3339Nano> <text>\n". */
function frame(stream: 1 | 2, second: number, text: string): Buffer {
  const payload = Buffer.from(`2026-01-01T00:00:${String(second).padStart(2, '0')}.000000001Z ${text}\n`);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A container whose log is `frames` (cut into odd-sized chunks); records the `since` it was asked for. */
function fakeContainer(frames: Buffer[]) {
  const asked: unknown[] = [];
  const container = {
    logs: async (opts: { since: unknown }) => {
      asked.push(opts.since);
      const all = Buffer.concat(frames);
      const out = new PassThrough();
      for (let i = 0; i < all.length; i += 7) out.write(all.subarray(i, i + 7));
      out.end();
      return out;
    },
  } as unknown as Docker.Container;
  return { container, asked };
}

function setup(numProcPerNode = 2) {
  const jobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-copier-'));
  dirs.push(jobDir);
  const files = containerFiles(jobDir);
  fs.mkdirSync(files.dir, { recursive: true });
  fs.mkdirSync(files.logsDir, { recursive: true });
  const read = (rank: number) => (fs.existsSync(files.rankLog(rank)) ? fs.readFileSync(files.rankLog(rank), 'utf8').split('\n').filter(Boolean).map((l) => parseRecord(l)!) : []);
  const copier = (record: NodeRecord = newNodeRecord(numProcPerNode)) => new NodeLogCopier(1, numProcPerNode, files, record, () => {});
  return { files, read, copier };
}

const TS = Date.parse('2026-01-01T00:00:00Z');

describe('node log copier', () => {
  it('routes tagged lines to rank files (node 1: global ranks 2 and 3), keeps stderr apart, turns K lines into the record', async () => {
    const { read, copier } = setup();
    const c = copier();
    const { container } = fakeContainer([
      frame(1, 1, 'K started 0'), frame(1, 1, 'K started 1'),
      frame(1, 2, '0 hello'), frame(2, 2, '1 oops'), frame(1, 3, '1 10%\r1 20%'),
      frame(2, 3, 'kfd-launcher: 9: something'), frame(1, 4, 'K exit 1 3'), frame(1, 4, 'K stopping rank-failed'), frame(1, 5, 'K exit 0 143'),
    ]);
    await c.follow(container, new AbortController().signal);
    c.close();
    expect(read(2)).toEqual([
      { ts: TS + 2000, stream: 'o', text: 'hello' },
      { ts: TS + 3000, stream: 'e', text: 'kfd-launcher: 9: something' },
    ]);
    expect(read(3)).toEqual([
      { ts: TS + 2000, stream: 'e', text: 'oops' },
      { ts: TS + 3000, stream: 'o', text: '10%' }, // a carriage return ends a line, as for local ranks
      { ts: TS + 3000, stream: 'o', text: '1 20%' },
    ]);
    expect(c.record.ranks).toEqual([
      { started: true, exit: { code: 143, ts: TS + 5000 , phase: 'main', afterStopping: true } },
      { started: true, exit: { code: 3, ts: TS + 4000 , phase: 'main', afterStopping: false } },
    ]);
    expect(c.record.stopping).toEqual({ at: TS + 4000 , why: 'rank-failed' });
    // The failed rank's exit and the stop it caused carry the same timestamp: the log's order decides.
    const manifest = { engine: 'Docker', numProcPerNode: 2, nodes: [0, 1].map((n) => ({ nodeRank: n, name: `node-${n}`, containerId: null })) };
    const done = { ...c.record, ended: { exitCode: 1, finishedAt: TS + 5000, oomKilled: false, error: '' } };
    const other = { ...newNodeRecord(2), ranks: [0, 1].map(() => ({ started: true, exit: { code: 0, ts: TS + 1000, phase: 'main' as const } })), ended: done.ended };
    expect(outcomeOf([other, done], null, { manifest, engineInterrupted: false })).toMatchObject({ status: 'Failed', reason: 'RankFailed', exitCode: 3, failedRank: 3 });
  });

  it('a stream that broke off mid-entry is read again from the cursor without the fragment', async () => {
    const { read, copier } = setup(1);
    const c = copier();
    const whole = [frame(1, 1, 'K started 0'), frame(1, 2, '0 hello'), frame(1, 3, 'K exit 0 127')];
    // The first stream ends inside the second entry: its frame carries only the start of the line.
    const piece = Buffer.from(whole[1]!.subarray(8).toString().slice(0, 36));
    const header = Buffer.alloc(8);
    header[0] = 1;
    header.writeUInt32BE(piece.length, 4);
    await c.follow(fakeContainer([whole[0]!, header, piece]).container, new AbortController().signal);
    expect(c.record.ranks[0]).toEqual({ started: true, exit: null });
    await c.follow(fakeContainer(whole).container, new AbortController().signal); // again from the cursor
    c.close();
    expect(read(1).map((r) => r.text)).toEqual(['hello']);
    expect(c.record.ranks[0]).toEqual({ started: true, exit: { code: 127, ts: TS + 3000, phase: 'main', afterStopping: false } });
  });

  it('resumes at its cursor, and lines already written after the last saved cursor are not written twice', async () => {
    const { read, copier, files } = setup(1);
    const frames = [1, 2, 3, 4, 5].map((s) => frame(1, s, `0 line ${s}`));
    const first = copier();
    await first.follow(fakeContainer(frames).container, new AbortController().signal);
    first.close();
    // As if the app died after saving the cursor at line 2, with lines 3..5 already in the file.
    const saved: NodeRecord = { ...first.record, cursor: { ns: String(BigInt(TS + 2000) * 1_000_000n + 1n), count: 1 }, sizes: { 1: Buffer.byteLength(fs.readFileSync(files.rankLog(1), 'utf8').split('\n').slice(0, 2).join('\n') + '\n') } };
    const second = copier(saved);
    const replay = fakeContainer([...frames.slice(1), frame(1, 6, '0 line 6')]); // the engine answers from `since` on
    await second.follow(replay.container, new AbortController().signal);
    second.close();
    expect(replay.asked).toEqual([sinceParam(BigInt(TS + 2000) * 1_000_000n + 1n)]);
    expect(read(1).map((r) => r.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(second.record.cursor).toEqual({ ns: String(BigInt(TS + 6000) * 1_000_000n + 1n), count: 1 });
  });

  it('reads Docker and Podman timestamps', () => {
    expect(splitTimestamp('2026-01-01T00:00:01.123456789Z x y')).toEqual({ ns: BigInt(TS + 1000) * 1_000_000n + 123456789n, text: 'x y', coarse: false });
    expect(splitTimestamp('2026-01-01T01:00:01.5+01:00 z')).toEqual({ ns: BigInt(TS + 1000) * 1_000_000n + 500_000_000n, text: 'z', coarse: false });
    // Podman's API before 6 sends whole seconds.
    expect(splitTimestamp('2026-01-01T00:00:01Z w')).toEqual({ ns: BigInt(TS + 1000) * 1_000_000n, text: 'w', coarse: true });
    expect(splitTimestamp('no timestamp')).toBeNull();
    expect(sinceParam(1_700_000_000_000_000_123n)).toBe('1700000000.000000123');
  });

  it('an engine that stamps whole seconds: lines of one second keep the order they arrived in, and a re-read writes nothing twice', async () => {
    const { read, copier } = setup(2);
    // Early in a second, so the four lines arrive within it.
    while (Date.now() % 1000 > 500) await new Promise((r) => setTimeout(r, 20));
    const second = Math.floor(Date.now() / 1000) * 1000;
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const coarse = (text: string) => {
      const payload = Buffer.from(`${stamp(second)} ${text}\n`);
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const frames = ['0 a', '1 b', '0 c', '1 d'].map(coarse);
    // Live: the lines arrive a few ms apart, within one second.
    const live = {
      logs: async () => {
        const out = new PassThrough();
        void (async () => {
          for (const f of frames) {
            out.write(f);
            await new Promise((r) => setTimeout(r, 5));
          }
          out.end();
        })();
        return out;
      },
    } as unknown as Docker.Container;
    const first = copier();
    await first.follow(live, new AbortController().signal);
    first.close();
    expect(first.record.coarseClock).toBe(true);
    const all = [...read(2), ...read(3)].sort((x, y) => x.ts - y.ts);
    expect(all.map((r) => r.text)).toEqual(['a', 'b', 'c', 'd']);
    for (const r of all) expect(r.ts >= second && r.ts < second + 1000).toBe(true);
    // The app died before its cursor was saved: everything is read again, later, and not doubled.
    const again = copier({ ...first.record, cursor: null, sizes: { 2: 0, 3: 0 } });
    await again.follow(fakeContainer(frames).container, new AbortController().signal);
    again.close();
    expect(read(2).map((r) => r.text)).toEqual(['a', 'c']);
    expect(read(3).map((r) => r.text)).toEqual(['b', 'd']);
  });
});

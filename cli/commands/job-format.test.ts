/** The job commands' pure formatting (no engine) and the shell exit code of a job. */
import { describe, expect, it } from 'vitest';
import type { JobDetail, JobSummary, LogLine } from '../../engine/api/contract.js';
import { formatDuration, formatJobDetail, formatJobTable, formatLogLine, jobDuration } from './job-format.js';
import { exitCodeOf } from './jobs.js';

const CREATED = Date.UTC(2026, 0, 2, 3, 4, 5);

function summary(over: Partial<JobSummary> = {}): JobSummary {
  return {
    id: '0mwtj000a-abc',
    name: 'python-basic',
    workspace: '/home/me/ws',
    backend: 'local-process',
    target: 'localhost',
    status: 'Complete',
    reason: 'Succeeded',
    message: 'All 2 rank(s) exited with code 0.',
    exitCode: 0,
    numNodes: 1,
    numProcPerNode: 2,
    createdAt: CREATED,
    startedAt: CREATED + 1000,
    finishedAt: CREATED + 66_000,
    parentId: null,
    owner: null,
    ...over,
  };
}

function detail(over: Partial<JobDetail> = {}): JobDetail {
  return { ...summary(), spec: 'kind: TrainJob\n', warnings: [], ranks: [], failureLog: [], ...over };
}

const line = (rank: number, text: string): LogLine => ({ rank, ts: CREATED, stream: 'o', text });

describe('formatDuration / jobDuration', () => {
  it('rounds to seconds, then minutes+seconds, then hours+minutes', () => {
    expect([0, 499, 500, 59_499, 59_500, 61_000, 3_599_000, 3_600_000, 3_661_000, 100 * 3_600_000].map(formatDuration)).toEqual([
      '0s', '0s', '1s', '59s', '1m00s', '1m01s', '59m59s', '1h00m', '1h01m', '100h00m',
    ]);
  });

  it('is "-" for no time or a negative one (clock skew)', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(-5)).toBe('-');
  });

  it('counts from the start to the finish, or to now while running; null before it started', () => {
    expect(jobDuration(summary())).toBe(65_000);
    expect(jobDuration(summary({ finishedAt: null }), CREATED + 11_000)).toBe(10_000);
    expect(jobDuration(summary({ startedAt: null, finishedAt: null }))).toBeNull();
  });
});

describe('formatLogLine', () => {
  it('prints the text alone for a one-rank view', () => {
    expect(formatLogLine(line(3, 'step=1 loss=2'), true, false)).toBe('step=1 loss=2');
  });

  it('prefixes [rN] for several ranks, coloured per rank only when asked', () => {
    expect(formatLogLine(line(1, 'hello'), false, true)).toBe('[r1] hello');
    expect(formatLogLine(line(0, 'a'), true, true)).toBe('\x1b[36m[r0]\x1b[0m a');
    expect(formatLogLine(line(1, 'a'), true, true)).toBe('\x1b[35m[r1]\x1b[0m a');
    expect(formatLogLine(line(6, 'a'), true, true)).toBe(formatLogLine(line(0, 'a'), true, true).replace('[r0]', '[r6]')); // colours cycle
  });

  it('passes the program\'s own ANSI escapes through untouched', () => {
    expect(formatLogLine(line(0, '\x1b[31mred\x1b[0m'), false, true)).toBe('[r0] \x1b[31mred\x1b[0m');
  });
});

describe('formatJobTable', () => {
  it('says how to start when there are no jobs', () => {
    expect(formatJobTable([], false)).toBe('No jobs yet. Run one with `kfd run <workspace>`.\n');
  });

  it('prints aligned columns, newest row as given, without trailing spaces', () => {
    const now = CREATED + 100_000;
    const jobs = [
      summary({ id: '0mwtj000b-def', name: 'a-much-longer-name', status: 'Running', finishedAt: null, exitCode: null, numNodes: 2, numProcPerNode: 4 }),
      summary({ status: 'Failed', exitCode: 137 }),
    ];
    const lines = formatJobTable(jobs, false, now).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const created = new Date(CREATED).toLocaleString();
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['ID', 'NAME', 'STATUS', 'BACKEND', 'NODESxPROCS', 'CREATED', 'DURATION', 'EXIT']);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['0mwtj000b-def', 'a-much-longer-name', 'Running', 'local-process', '2x4', created, '1m39s']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['0mwtj000a-abc', 'python-basic', 'Failed', 'local-process', '1x2', created, '1m05s', '137']);
    // Every column starts at the same offset on every line.
    const col = (l: string, text: string) => l.indexOf(text);
    expect(col(lines[1]!, 'Running')).toBe(col(lines[0]!, 'STATUS'));
    expect(col(lines[2]!, 'Failed')).toBe(col(lines[0]!, 'STATUS'));
    expect(col(lines[2]!, '1m05s')).toBe(col(lines[0]!, 'DURATION'));
    for (const l of lines) expect(l).toBe(l.trimEnd());
  });

  it('colours only the status cell, and only when asked', () => {
    const coloured = formatJobTable([summary({ status: 'Failed' })], true);
    expect(coloured).toContain('\x1b[31mFailed');
    expect(coloured.split('\n')[0]).not.toContain('\x1b');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatJobTable([summary({ status: 'Failed' })], false));
    expect(formatJobTable([summary()], false)).not.toContain('\x1b');
  });
});

describe('formatJobDetail', () => {
  it('shows a complete job: status with reason, target, shape, duration, exit code, ranks', () => {
    const text = formatJobDetail(detail({
      ranks: [
        { globalRank: 0, nodeRank: 0, localRank: 0, pid: 101, status: 'Succeeded', exitCode: 0, signal: null },
        { globalRank: 1, nodeRank: 0, localRank: 1, pid: null, status: 'Pending', exitCode: null, signal: null },
      ],
    }));
    expect(text.split('\n')).toEqual([
      'Job 0mwtj000a-abc  python-basic',
      '  status:    Complete (Succeeded)',
      '  backend:   local-process on localhost',
      '  workspace: /home/me/ws',
      '  shape:     1 node(s) x 2 process(es)',
      `  created:   ${new Date(CREATED).toLocaleString()}`,
      '  duration:  1m05s',
      '  exit code: 0',
      '  message:   All 2 rank(s) exited with code 0.',
      '  ranks:',
      '    rank 0 (node 0, local 0): Succeeded exit 0 pid 101',
      '    rank 1 (node 0, local 1): Pending',
      '',
    ]);
  });

  it('a container job\'s ranks name their containers', () => {
    const text = formatJobDetail(detail({ backend: 'container', ranks: [{ globalRank: 0, nodeRank: 1, localRank: 0, pid: null, container: 'kfd-j-node-1', status: 'Running', exitCode: null, signal: null }] }));
    expect(text).toContain('    rank 0 (node 1, local 0): Running container kfd-j-node-1\n');
  });

  it('shows why a job failed: signal, warnings with their place, the failing rank\'s last lines, the parent', () => {
    const text = formatJobDetail(detail({
      status: 'Failed', reason: 'RankFailed', exitCode: 1, message: 'rank 1 exited with code 1 first.', parentId: '0mwtj0000-111',
      ranks: [{ globalRank: 0, nodeRank: 0, localRank: 0, pid: 7, status: 'Cancelled', exitCode: 143, signal: 'SIGTERM' }],
      warnings: [{ path: 'spec.trainer.image', line: 11, column: 5, message: 'trainjob.yaml:11:5 spec.trainer.image: not used locally' }],
      failureLog: ['Traceback (most recent call last):', 'ValueError: boom'],
    }));
    expect(text).toContain('  status:    Failed (RankFailed)\n');
    expect(text).toContain('  parent:    0mwtj0000-111\n');
    expect(text).toContain('    rank 0 (node 0, local 0): Cancelled exit 143 SIGTERM pid 7\n');
    expect(text).toContain('  warnings:\n    trainjob.yaml:11:5 spec.trainer.image: not used locally\n');
    expect(text.endsWith('  last lines of the failing rank:\n    | Traceback (most recent call last):\n    | ValueError: boom\n')).toBe(true);
  });

  it('leaves out what a job does not have yet', () => {
    const text = formatJobDetail(detail({ status: 'Created', reason: null, message: null, exitCode: null, startedAt: null, finishedAt: null, target: '' }));
    expect(text).toContain('  status:    Created\n');
    expect(text).toContain('  backend:   local-process\n');
    expect(text).toContain('  duration:  -\n');
    for (const absent of ['exit code', 'message', 'parent', 'ranks', 'warnings', 'last lines']) expect(text).not.toContain(absent);
  });
});

describe('exitCodeOf', () => {
  it('is 0 for Complete, 130 for Cancelled, the rank\'s code (capped at 255) or 1 for Failed', () => {
    expect(exitCodeOf(summary())).toBe(0);
    expect(exitCodeOf(summary({ status: 'Cancelled', exitCode: null }))).toBe(130);
    expect(exitCodeOf(summary({ status: 'Failed', exitCode: 3 }))).toBe(3);
    expect(exitCodeOf(summary({ status: 'Failed', exitCode: 1000 }))).toBe(255);
    expect(exitCodeOf(summary({ status: 'Failed', exitCode: null }))).toBe(1);
    expect(exitCodeOf(summary({ status: 'Failed', exitCode: 0 }))).toBe(1);
  });
});

/**
 * `kfd run | jobs | show | logs | cancel | rerun` through the real binary (bin/kfd.mjs), each
 * invocation its own short-lived engine on the same KFD_DATA_DIR, ranks run by /usr/bin/python3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../engine/api/contract.js';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { hasPython, tempDir } from '../../engine/jobs/test-support/parts.js';
import { processesOfJob } from '../../engine/jobs/test-support/procs.js';
import { waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { copyTemplate, tickerScript, writeWorkspace } from '../../engine/jobs/test-support/workspaces.js';

const ID = /^[0-9a-z]{9}-[0-9a-f]{3}$/;
const numbered = (rank: number, n: number) => Array.from({ length: n }, (_, i) => `line ${rank} ${i}`);

describe.runIf(hasPython())('kfd job commands (real binary)', () => {
  it('run --follow streams [r0]/[r1] lines and exits 0', async () => {
    const data = tempDir('cli-follow');
    const ws = copyTemplate('python-basic', tempDir('cli-basic'));
    const r = await kfd(data, ['run', ws, '--follow']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(l).toMatch(/^\[r[01]\] /);
    expect(lines.filter((l) => l.startsWith('[r0] step=')).map((l) => l.split(' ')[1])).toEqual(Array.from({ length: 20 }, (_, i) => `step=${i + 1}`));
    expect(lines).toContainEqual(expect.stringMatching(/^\[r1\] rank=1 done slope=/));
    expect(r.stderr).toMatch(/^Started python-basic as (\S+) \(1 node\(s\) x 2 process\(es\)\); Ctrl\+C cancels it\.$/m);
    expect(r.stderr).toContain('python-basic Complete: All 2 rank(s) exited with code 0.');
    expect(r.stderr).toMatch(/^warning: trainjob\.yaml:\d+:\d+ spec\.trainer\.image: /m); // what local processes cannot honour
  });

  it('a failing job exits with its failing rank\'s exit code (`--backend local` names local-process)', async () => {
    const data = tempDir('cli-fail');
    const ws = writeWorkspace(tempDir('cli-failws'), 'exits-three', tickerScript(2, 50, 3));
    const r = await kfd(data, ['run', ws, '--backend', 'local', '--follow']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('[r1] line 1 1');
    expect(r.stderr).toMatch(/exits-three Failed: rank 1 \(node 0, local rank 1\) exited with code 3/);
    const show = await kfd(data, ['show', ...[JSON.parse((await kfd(data, ['jobs', '--json'])).stdout)[0].id as string]]);
    expect(show.stdout).toMatch(/status: +Failed \(RankFailed\)/);
    expect(show.stdout).toContain('exit code: 3');
    expect(show.stdout).toContain('rank 1 (node 0, local 1): Failed exit 3');
    expect(show.stdout).toMatch(/backend: +local-process/);
  });

  it('run without --follow returns at once; jobs, show, logs (-f, --rank), rerun, cancel, unknown ids', async () => {
    const data = tempDir('cli-life');
    const ws = writeWorkspace(tempDir('cli-lifews'), 'ticker', tickerScript(50, 300)); // about 15 s: still running while several CLI calls start (each starts Node + tsx)
    const started = await kfd(data, ['run', ws]);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(ID);
    expect(started.stderr).toContain(`follow it with \`kfd logs --follow ${id}\``);
    expect(fs.existsSync(path.join(data, 'jobs', id, 'ranks', 'rank-0.exit.json'))).toBe(false); // returned long before the job ends
    await waitFor('both ranks running without the CLI', () => processesOfJob(id).length >= 2, 5000);

    const table = await kfd(data, ['jobs']);
    expect(table.code).toBe(0);
    const [header, row, ...rest] = table.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['ID', 'NAME', 'STATUS', 'BACKEND', 'NODESxPROCS', 'CREATED', 'DURATION', 'EXIT']);
    expect(row!.split(/\s{2,}/).slice(0, 5)).toEqual([id, 'ticker', 'Running', 'local-process', '1x2']);
    expect(rest).toEqual([]);

    expect(fs.existsSync(path.join(data, 'jobs', id, 'ranks', 'rank-0.exit.json'))).toBe(false); // still running
    const followed = await kfd(data, ['logs', '-f', id]);
    expect(followed.code, followed.stderr).toBe(0);
    const out = followed.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(200);
    for (const rank of [0, 1]) expect(out.filter((l) => l.startsWith(`[r${rank}] line `)).map((l) => l.slice(5))).toEqual(numbered(rank, 50));

    const json = JSON.parse((await kfd(data, ['jobs', '--json'])).stdout) as JobSummary[];
    expect(json).toMatchObject([{ id, name: 'ticker', status: 'Complete', exitCode: 0, numNodes: 1, numProcPerNode: 2 }]);
    const show = await kfd(data, ['show', id.slice(0, 11)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Job ${id}  ticker`);
    expect(show.stdout).toMatch(/status: +Complete \(Succeeded\)/);
    expect(show.stdout).toMatch(/rank 1 \(node 0, local 1\): Succeeded exit 0 pid \d+/);
    expect(JSON.parse((await kfd(data, ['show', id, '--json'])).stdout)).toMatchObject({ id, status: 'Complete', ranks: [{ globalRank: 0 }, { globalRank: 1 }] });

    const rank1 = await kfd(data, ['logs', id, '--rank', '1']);
    const rank1Lines = rank1.stdout.trimEnd().split('\n');
    expect(rank1Lines.filter((l) => l.startsWith('line '))).toEqual(numbered(1, 50)); // no [r1] prefix for one rank
    expect(rank1Lines).toHaveLength(100);

    const rerun = await kfd(data, ['rerun', id]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const second = rerun.stdout.trim();
    expect(second).toMatch(ID);
    expect(second).not.toBe(id);
    await waitFor('the rerun to print', () => fs.existsSync(path.join(data, 'jobs', second, 'logs', 'rank-1.log')) && fs.statSync(path.join(data, 'jobs', second, 'logs', 'rank-1.log')).size > 0);
    const cancelled = await kfd(data, ['cancel', second]);
    expect(cancelled).toMatchObject({ code: 0, stdout: `${second} Cancelled\n` });
    expect(processesOfJob(second)).toEqual([]);
    expect(JSON.parse((await kfd(data, ['jobs', '--json', '--status', 'Cancelled'])).stdout)).toMatchObject([{ id: second }]);

    const ambiguous = await kfd(data, ['show', '0']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('matches several jobs');
    for (const args of [['show', 'nope'], ['cancel', 'nope']]) {
      const r = await kfd(data, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('kfd: No job "nope". `kfd jobs` lists the jobs and their ids.\n');
    }
  }, 90_000);
});

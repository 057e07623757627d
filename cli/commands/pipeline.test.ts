/** `kfd pipeline …` as a user runs it (bin/kfd.mjs): compile with real kfp, run --follow, runs, show --json. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { kfpUnavailable, shareKfpEnvs } from '../../engine/pipelines/test-support/kfp-fixtures.js';
import { makeTempDir, reportMissingPart } from '../../engine/test-support/real-parts.js';
import { collectParam } from './pipeline.js';

describe('pipeline command helpers', () => {
  it('collects --param name=value, keeping "=" in values', () => {
    expect(collectParam('b=x=y', collectParam('a=1'))).toEqual({ a: '1', b: 'x=y' });
    expect(() => collectParam('novalue')).toThrow(/not name=value/);
  });
});

const missing = await kfpUnavailable();
if (missing) reportMissingPart('kfp (PyPI)', missing);

const SOURCE = `
from kfp import dsl

@dsl.component
def double(n: int) -> int:
    return n * 2

@dsl.component
def check(x: int):
    if x > 10:
        raise ValueError('too big: %d' % x)

@dsl.pipeline(name='cli-pipe')
def cli_pipe(n: int = 2):
    d = double(n=n)
    check(x=d.output)
`;

describe.runIf(!missing)('kfd pipeline (real kfp)', () => {
  it('compiles, runs with --follow (exit 0 / 1 naming the task), lists and shows runs as JSON', async () => {
    const dir = makeTempDir('pipelines', 'cli');
    const data = path.join(dir, 'data');
    shareKfpEnvs(data);
    fs.writeFileSync(path.join(dir, 'pipe.py'), SOURCE);
    const compiled = await kfd(data, ['pipeline', 'compile', path.join(dir, 'pipe.py')], 300_000);
    expect(compiled.code, compiled.stderr).toBe(0);
    const yaml = path.join(dir, 'pipe.yaml');
    expect(compiled.stdout).toBe(`${yaml}\n`);
    expect(fs.readFileSync(yaml, 'utf8')).toContain('schemaVersion: 2.1.0');

    const ok = await kfd(data, ['pipeline', 'run', yaml, '--param', 'n=3', '--follow', '--json'], 300_000);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('double: Succeeded');
    const shown = JSON.parse(ok.stdout);
    expect(Object.keys(shown)).toEqual(['id', 'name', 'status', 'parameters', 'tasks']);
    expect(shown).toMatchObject({ name: 'cli-pipe', status: 'Succeeded', parameters: { n: 3 } });
    const double = shown.tasks.find((t: { name: string }) => t.name === 'double');
    expect(Object.keys(double)).toEqual(['name', 'status', 'cached', 'jobId', 'inputs', 'outputs']);
    expect(double).toMatchObject({ status: 'Succeeded', cached: false, inputs: { parameters: { n: 3 } }, outputs: { parameters: { Output: 6 }, artifacts: {} } });

    const bad = await kfd(data, ['pipeline', 'run', yaml, '--param', 'n=6', '--follow'], 300_000);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cli-pipe Failed: Task check failed');
    expect(bad.stderr).toContain('too big: 12');

    const runs = await kfd(data, ['pipeline', 'runs', '--json']);
    expect(JSON.parse(runs.stdout).map((r: { status: string }) => r.status)).toEqual(['Failed', 'Succeeded']);
    const show = await kfd(data, ['pipeline', 'show', shown.id.slice(0, 10), '--json']);
    expect(JSON.parse(show.stdout)).toEqual(shown);
    const cached = await kfd(data, ['pipeline', 'run', yaml, '--param', 'n=3', '--follow', '--json'], 300_000);
    expect(JSON.parse(cached.stdout).tasks.every((t: { cached: boolean }) => t.cached)).toBe(true);
    expect(cached.stderr).toContain('double: Succeeded (cached)');
  }, 600_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../engine/api/contract.js';
import { createEngine, type Engine } from '../../engine/engine.js';
import { doctorCommand, formatDoctorTable } from './doctor.js';

// The real engine (real store in a temp data dir, real checks); only stdout is captured.
function capture(isTTY = false) {
  let text = '';
  return { isTTY, write: (s: string) => void (text += s), get text() { return text; } };
}

let dir: string;
let engine: Engine | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kfd-cli-doctor-'));
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** An engine whose checks see an empty PATH and no container socket: things are missing. */
function bareEngine(): Engine {
  const env = { PATH: path.join(dir, 'empty-bin'), KFD_CONTAINER_SOCKETS: path.join(dir, 'no.sock'), KFD_DATA_DIR: dir };
  return (engine = createEngine({ dataDir: path.join(dir, 'data'), env }));
}

describe('kfd doctor', () => {
  it('prints exactly {id, status, detail, fix} per check with --json, and exits 1 when something is missing', async () => {
    const e = bareEngine();
    const out = capture();
    const finished: string[] = [];
    e.events.subscribe((event, payload) => event === 'doctor.checkFinished' && finished.push((payload as CheckResult).id));
    const code = await doctorCommand({ json: true }, { dispatch: e.dispatch, stdout: out });
    const rows = JSON.parse(out.text) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(['node', 'python', 'container-engine', 'kind', 'kubectl', 'cluster-assets', 'nvidia-gpu', 'memory', 'disk']);
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'status', 'detail', 'fix']);
    const kubectl = rows.find((r) => r.id === 'kubectl')!;
    expect(kubectl.status).toBe('missing');
    expect(kubectl.fix).toContain('sudo apt-get install kubectl');
    expect(rows.find((r) => r.id === 'container-engine')!.status).toBe('missing');
    expect(code).toBe(1);
    expect(finished.sort()).toEqual(rows.map((r) => r.id).sort()); // the UI's live rows
  });

  it('prints a table with the fix under each row that is not ok', async () => {
    const out = capture();
    await doctorCommand({}, { dispatch: bareEngine().dispatch, stdout: out, env: {} });
    expect(out.text).toMatch(/^✗ kubectl +kubectl is not on PATH\.$/m);
    expect(out.text).toMatch(/^ +fix: sudo apt-get install kubectl/m);
    expect(out.text).toMatch(/^✗ kind +kind is not on PATH/m);
    expect(out.text).toMatch(/^! NVIDIA GPU +no NVIDIA GPU: jobs run on CPU/m);
    expect(out.text).toMatch(/^\d+ ok, \d+ warning\(s\), [1-9]\d* missing$/m);
    expect(out.text).not.toContain('\x1b['); // not a TTY: no colour
  });

  it('on this machine, exits 1 exactly when a check is missing (warnings are fine)', async () => {
    engine = createEngine({ dataDir: path.join(dir, 'data'), env: { ...process.env, KFD_DATA_DIR: dir } });
    const out = capture();
    const code = await doctorCommand({ json: true }, { dispatch: engine.dispatch, stdout: out });
    const rows = JSON.parse(out.text) as { id: string; status: string }[];
    console.log(rows.map((r) => `${r.id}: ${r.status}`).join(', '));
    expect(code).toBe(rows.some((r) => r.status === 'missing') ? 1 : 0);
  });
});

describe('formatDoctorTable', () => {
  const results: CheckResult[] = [
    { id: 'node', title: 'Node.js', status: 'ok', detail: 'node v22.1.0 at /usr/bin/node.', fix: '' },
    { id: 'python', title: 'Python', status: 'warning', detail: 'Using x.\nCandidates:\n  a\n  b', fix: 'pip install torch' },
  ];

  it('aligns titles, indents detail lines and fixes', () => {
    expect(formatDoctorTable(results, false)).toBe(
      [
        '✓ Node.js  node v22.1.0 at /usr/bin/node.',
        '! Python   Using x.',
        '           Candidates:',
        '             a',
        '             b',
        '           fix: pip install torch',
        '',
        '1 ok, 1 warning(s), 0 missing',
        '',
      ].join('\n'),
    );
  });

  it('colours only on a TTY without NO_COLOR', async () => {
    const dispatch = bareEngine().dispatch;
    const tty = capture(true);
    await doctorCommand({}, { dispatch, stdout: tty, env: {} });
    expect(tty.text).toContain('\x1b[31m✗\x1b[0m kubectl');
    const noColor = capture(true);
    await doctorCommand({}, { dispatch, stdout: noColor, env: { NO_COLOR: '1' } });
    expect(noColor.text).not.toContain('\x1b[');
  });
});

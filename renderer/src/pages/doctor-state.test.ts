import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../engine/api/contract';
import { doctorReducer, initialDoctorState, summarize, type DoctorState } from './doctor-state';

const listed: DoctorState = doctorReducer(initialDoctorState, {
  type: 'listed',
  checks: [
    { id: 'node', title: 'Node.js' },
    { id: 'docker', title: 'Docker engine' },
    { id: 'kind', title: 'kind' },
  ],
});

const result = (id: string, status: CheckResult['status'], fix = ''): CheckResult => ({
  id,
  title: id,
  status,
  detail: `${id} detail`,
  fix,
});

describe('doctorReducer', () => {
  it('lists every check as pending first', () => {
    expect(listed.rows.map((r) => [r.id, r.status])).toEqual([
      ['node', 'pending'],
      ['docker', 'pending'],
      ['kind', 'pending'],
    ]);
    expect(summarize(listed.rows)).toBe('0 ok, 0 warnings, 0 missing, 3 checking…');
  });

  it('fills rows in as events arrive, keeping list order', () => {
    let s = doctorReducer(listed, { type: 'started' });
    expect(s.running).toBe(true);
    s = doctorReducer(s, { type: 'checkFinished', result: result('kind', 'missing', 'go install sigs.k8s.io/kind@v0.30.0') });
    expect(s.rows.map((r) => r.status)).toEqual(['pending', 'pending', 'missing']);
    expect(s.rows[2]?.fix).toBe('go install sigs.k8s.io/kind@v0.30.0');
    expect(s.rows[2]?.title).toBe('kind');
  });

  it('settles from the run result, adding unlisted checks at the end', () => {
    let s = doctorReducer(listed, { type: 'started' });
    s = doctorReducer(s, {
      type: 'runFinished',
      results: [result('node', 'ok'), result('docker', 'warning', 'sudo dockerd &'), result('kind', 'missing'), result('gpu', 'ok')],
    });
    expect(s.running).toBe(false);
    expect(s.rows.map((r) => r.id)).toEqual(['node', 'docker', 'kind', 'gpu']);
    expect(summarize(s.rows)).toBe('2 ok, 1 warning, 1 missing');
  });

  it('resets rows to pending on "Run again" and records failures', () => {
    let s = doctorReducer(listed, { type: 'runFinished', results: [result('node', 'ok')] });
    s = doctorReducer(s, { type: 'started' });
    expect(s.rows.every((r) => r.status === 'pending')).toBe(true);
    s = doctorReducer(s, { type: 'failed', message: 'Cannot reach the engine' });
    expect(s).toMatchObject({ running: false, error: 'Cannot reach the engine' });
    expect(summarize(s.rows, s.running)).toBe('0 ok, 0 warnings, 0 missing, 3 not checked');
  });
});

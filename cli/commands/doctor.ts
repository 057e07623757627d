/**
 * `kfd doctor [--json]`: runs every environment check through the API (`doctor.run`) and prints
 * a table (or JSON). Exit code 1 when something is missing; warnings do not fail.
 */
import type { CheckResult } from '../../engine/api/contract.js';

type Envelope = { result: unknown } | { error: { code: string; message: string } };

export interface DoctorCommandDeps {
  dispatch: (method: string, input: unknown) => Promise<Envelope>;
  /** Defaults to process.stdout / process.stderr / process.env (tests capture them). */
  stdout?: { write(text: string): unknown; isTTY?: boolean };
  stderr?: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

const SYMBOL: Record<CheckResult['status'], string> = { ok: '✓', warning: '!', missing: '✗' };
const COLOR: Record<CheckResult['status'], string> = { ok: '\x1b[32m', warning: '\x1b[33m', missing: '\x1b[31m' };
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

/** The JSON form: exactly id, status, detail, fix (titles are for people, ids for scripts). */
export function toJsonRows(results: CheckResult[]): { id: string; status: string; detail: string; fix: string }[] {
  return results.map(({ id, status, detail, fix }) => ({ id, status, detail, fix }));
}

export function formatDoctorTable(results: CheckResult[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const width = Math.max(0, ...results.map((r) => r.title.length));
  const indent = ' '.repeat(width + 4);
  const lines: string[] = [];
  for (const r of results) {
    const [first = '', ...rest] = r.detail.split('\n');
    lines.push(`${paint(COLOR[r.status], SYMBOL[r.status])} ${r.title.padEnd(width)}  ${first}`);
    for (const more of rest) lines.push(`${indent}${paint(DIM, more)}`);
    if (r.status !== 'ok' && r.fix) lines.push(`${indent}${paint(COLOR[r.status], 'fix:')} ${r.fix}`);
  }
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warning')} warning(s), ${count('missing')} missing`);
  return lines.join('\n') + '\n';
}

export async function doctorCommand(opts: { json?: boolean }, deps: DoctorCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const env = deps.env ?? process.env;
  const answer = await deps.dispatch('doctor.run', {});
  if ('error' in answer) {
    stderr.write(`kfd doctor: ${answer.error.message} (${answer.error.code})\n`);
    return 2;
  }
  const results = answer.result as CheckResult[];
  if (opts.json) stdout.write(JSON.stringify(toJsonRows(results), null, 2) + '\n');
  else stdout.write(formatDoctorTable(results, Boolean(stdout.isTTY) && !env.NO_COLOR));
  return results.some((r) => r.status === 'missing') ? 1 : 0;
}

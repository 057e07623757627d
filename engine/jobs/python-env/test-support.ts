/** Helpers for the python-env integration tests: a real interpreter with venv, real wheels. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The first interpreter here that can create a venv with pip (Debian's python3 needs the
 * python3-venv package for ensurepip). null + a reason when none can.
 */
export function findVenvPython(): { python: string | null; reason: string } {
  const tried: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import venv, ensurepip, os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return { python: r.stdout.trim(), reason: '' };
    tried.push(`${candidate}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  }
  return { python: null, reason: `no interpreter can create a venv (sudo apt-get install python3-venv): ${tried.join('; ')}` };
}

// A wheel is a zip: the module, and <name>-<version>.dist-info/{METADATA,WHEEL,RECORD}. The
// console script checks that script shebangs point at the env's final path.
const WHEEL_SCRIPT = `
import base64, hashlib, os, sys, zipfile
out, name, version, body = sys.argv[1:5]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}.py": body,
    f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
    f"{dist}/WHEEL": "Wheel-Version: 1.0\\nGenerator: kfd-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    f"{dist}/entry_points.txt": f"[console_scripts]\\n{name} = {name}:main\\n",
}
record = []
target = os.path.join(out, f"{name}-{version}-py3-none-any.whl")
with zipfile.ZipFile(target, "w") as z:
    for arc, text in files.items():
        data = text.encode()
        z.writestr(arc, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arc},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    z.writestr(f"{dist}/RECORD", "\\n".join(record) + "\\n")
print(target)
`;

export function makeWheel(python: string, dir: string, name: string, version: string, body: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return execFileSync(python, ['-c', WHEEL_SCRIPT, dir, name, version, body], { encoding: 'utf8' }).trim();
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs the python and returns stdout; throws with stderr when it fails. */
export function runPython(python: string, code: string): string {
  return execFileSync(python, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Command lines of every process that mentions `text` (to prove a cancelled pip is gone). */
export function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

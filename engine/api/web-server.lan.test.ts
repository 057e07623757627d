/**
 * `kfd serve --host 0.0.0.0` through the real binary: the printed network URL works from this
 * machine's LAN address (the Host check accepts it), and only with the token.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { tokenSubprotocol } from './web-auth.js';

const TOKEN = 'lan-token-4Kq';
const lanIPv4 = Object.values(os.networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((i) => !i.internal && i.family === 'IPv4')?.address;

if (!lanIPv4) reportMissingPart('a non-loopback IPv4 address', 'this machine has no network interface besides loopback');
else
  it('serves the LAN on its printed network URL, with the token only', async () => {
    const kfd = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kfd.mjs');
    const child = spawn(process.execPath, [kfd, 'serve', '--host', '0.0.0.0', '--port', '0'], {
      env: { ...process.env, KFD_DATA_DIR: makeTempDir('api', 'lan-data'), KFD_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('Data:')) resolve(out);
        });
        child.on('exit', () => reject(new Error(`kfd serve exited: ${out}${stderr}`)));
      });
      const lan = new RegExp(`on your network: (http://${lanIPv4.replace(/\./g, '\\.')}:\\d+/)\\?token=${TOKEN}`).exec(printed);
      expect(lan, printed).not.toBeNull();
      const base = lan![1]!;
      expect(stderr).toContain('plain HTTP carries the token unencrypted');

      const page = await fetch(base);
      expect(page.status).not.toBe(403); // the UI (or the "not built" page) is served to the LAN name
      const ok = await fetch(new URL('/api/version', base), { headers: { Authorization: `Bearer ${TOKEN}`, Origin: new URL(base).origin } });
      expect(ok.status).toBe(200);
      expect((await fetch(new URL('/api/version', base))).status).toBe(401);
      expect((await fetch(new URL('/api/version', base), { headers: { Authorization: `Bearer ${TOKEN}`, Origin: 'http://attacker.example' } })).status).toBe(403);

      const ws = new WebSocket(base.replace('http', 'ws') + 'api/events', ['kfd.v1', tokenSubprotocol(TOKEN)], { origin: new URL(base).origin });
      await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)));
      ws.close();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  }, 60_000);

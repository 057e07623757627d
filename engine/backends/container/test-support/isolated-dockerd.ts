/**
 * A second, private dockerd for tests that stop or restart the engine: restarting the shared one
 * would break every other test running in parallel. It has its own data root, exec root, pid
 * file, socket and containerd namespace under a temp dir, and runs in a network namespace of its
 * own (`unshare --net`): its docker0, bridges and iptables rules never touch the host's (a
 * second dockerd on the host network deletes the shared daemon's docker0 when it restarts),
 * and they vanish with it. Clients reach it through its unix socket, which is a file.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';

export function isolatedDockerdReason(): string | null {
  if (process.getuid?.() !== 0) return 'starting a private dockerd needs root';
  const onPath = (name: string) => (process.env.PATH ?? '').split(':').some((d) => d && fs.existsSync(path.join(d, name)));
  if (!onPath('unshare')) return 'unshare is not on PATH (sudo apt-get install util-linux)';
  return onPath('dockerd') ? null : 'dockerd is not on PATH (sudo apt-get install docker.io)';
}

export class IsolatedDockerd {
  readonly socket: string;
  readonly docker: Docker;

  private constructor(readonly dir: string) {
    this.socket = path.join(dir, 'docker.sock');
    this.docker = new Docker({ socketPath: this.socket });
  }

  static async create(): Promise<IsolatedDockerd> {
    const d = new IsolatedDockerd(fs.mkdtempSync(path.join(os.tmpdir(), 'kfd-dockerd-')));
    await d.start();
    return d;
  }

  private pid(): number | null {
    try {
      return Number(fs.readFileSync(path.join(this.dir, 'dockerd.pid'), 'utf8')) || null;
    } catch {
      return null;
    }
  }

  async start(): Promise<void> {
    const log = fs.openSync(path.join(this.dir, 'dockerd.log'), 'a');
    const args = [
      `--data-root=${this.dir}/data`, `--exec-root=${this.dir}/exec`, `--pidfile=${this.dir}/dockerd.pid`, `--host=unix://${this.socket}`,
      '--containerd-namespace=kfdtest', '--containerd-plugins-namespace=kfdtest-plugins', '--log-level=warn',
    ];
    // unshare execs dockerd in the new network namespace: the pid file names dockerd itself.
    const child = spawn('unshare', ['--net', '--', 'dockerd', ...args], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    fs.closeSync(log);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await this.docker.ping().then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`the private dockerd did not answer in 30 s; see ${this.dir}/dockerd.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, as a service manager stops it; resolves once the process is gone. */
  async stop(): Promise<void> {
    const pid = this.pid();
    if (!pid) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(pid, 'SIGKILL');
  }

  /** A crash: SIGKILL, so its containers are left running with no engine to ask about them. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (!pid) return;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Copies an image from the shared engine (`docker save | docker -H … load`). */
  async loadFrom(source: Docker, image: string): Promise<void> {
    const tar = await source.getImage(image).get();
    const answer = await this.docker.loadImage(tar);
    await new Promise<void>((resolve, reject) => {
      answer.on('data', () => {});
      answer.on('end', resolve);
      answer.on('error', reject);
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    // dockerd bind-mounts its data root onto itself; a daemon that once crashed can leave it behind.
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(this.dir));
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

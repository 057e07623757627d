/** Starts engine-driver.ts as a separate Node process and follows what it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './test-engine.js';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-driver.ts');

export class DriverProcess {
  out = '';
  exited = false;
  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    child.once('exit', () => (this.exited = true));
  }

  static start(configFile: string, config: { dataDir: string; env: NodeJS.ProcessEnv; workspaces: string[]; killAtFirstMetricRow?: boolean }): DriverProcess {
    fs.writeFileSync(configFile, JSON.stringify(config));
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER, configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new DriverProcess(child);
  }

  /** The ids of the jobs it started, once it has started `n`. */
  async started(n: number): Promise<string[]> {
    return waitFor(`the driver to start ${n} job(s) (output: ${JSON.stringify(this.out)})`, () => {
      if (this.out.includes('error ')) throw new Error(`driver: ${this.out}`);
      const ids = [...this.out.matchAll(/^started (\S+)$/gm)].map((m) => m[1]!);
      return ids.length >= n ? ids : null;
    }, 30_000);
  }

  /** Resolves once the driver's engine has seen every one of `ids` Running. */
  async running(ids: string[]): Promise<void> {
    await waitFor(`jobs ${ids.join(', ')} to run (output: ${JSON.stringify(this.out)})`, () => ids.every((id) => this.out.includes(`running ${id}\n`)), 30_000);
  }

  /** How many log lines its engine had captured (and published) at the last event. */
  captured(): number {
    return Number([...this.out.matchAll(/^captured (\d+)$/gm)].at(-1)?.[1] ?? 0);
  }

  async kill9(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await gone;
    }
  }

  async exit(): Promise<{ signal: NodeJS.Signals | null }> {
    if (!this.exited) await new Promise((r) => this.child.once('exit', r));
    return { signal: this.child.signalCode };
  }
}

/**
 * `kfd`: the command line on the same engine as the app. Commands call the engine in-process
 * through the same dispatcher the UI uses, so they validate and fail the same way.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createEngine } from '../engine/engine.js';
import { doctorCommand } from './commands/doctor.js';
import { serveCommand } from './commands/serve.js';
import { versionCommand } from './commands/version.js';
import { parsePort } from './parse-port.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function withEngine<T>(fn: (engine: ReturnType<typeof createEngine>) => Promise<T>): Promise<T> {
  const engine = createEngine();
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('kfd')
    .description('Kubeflow Desktop: run a Kubeflow TrainJob locally, in containers, or on a cluster.')
    .showHelpAfterError('(run `kfd --help` for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('version')
    .description('print the version')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      process.exitCode = versionCommand(opts);
    });

  program
    .command('serve')
    .description('serve the app in a browser (web mode) on 127.0.0.1; prints the URL with its access token')
    .option('-p, --port <port>', 'port (0 = a free port)', parsePort, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      process.exitCode = await serveCommand({ ...opts, staticDir: path.join(repoRoot, 'dist', 'renderer') });
    });

  program
    .command('doctor')
    .description('check this machine: Node, Python + Jupyter + torch, Docker/Podman, kind, kubectl, GPUs, memory, disk')
    .option('--json', 'print a JSON array of {id, status, detail, fix}')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await withEngine((engine) => doctorCommand(opts, { dispatch: engine.dispatch }));
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`kfd: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

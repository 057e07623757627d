/**
 * Binds the exec wrapper to one operation: every command is logged to the running step (with
 * the command line, for the failure details), runs with the operation's cancel signal and the
 * user's environment, and finds its binary on PATH or in the app's bin dir.
 */
import { runTool, type RunOptions, type RunResult } from '../exec.js';
import type { StepTracker } from '../steps.js';
import { requireTool, type ToolName } from '../tools.js';

export interface Runner {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  signal: AbortSignal;
  run(tool: ToolName, args: string[], opts?: Omit<RunOptions, 'env' | 'signal'> & { quiet?: boolean }): Promise<RunResult>;
  log(line: string): void;
}

export function createRunner(env: NodeJS.ProcessEnv, dataDir: string, signal: AbortSignal, tracker: StepTracker | null): Runner {
  const log = (line: string) => tracker?.log(line);
  return {
    env,
    dataDir,
    signal,
    log,
    async run(tool, args, opts = {}) {
      const file = await requireTool(tool, env, dataDir);
      const { quiet, onLine, ...rest } = opts;
      tracker?.command([tool, ...args].join(' '));
      return runTool(file, args, {
        ...rest,
        env,
        signal,
        onLine: (line, stream) => {
          if (!quiet) log(line);
          onLine?.(line, stream);
        },
      });
    },
  };
}

/**
 * Starting one job's processes, in whichever engine it was submitted to: its Python environment
 * (a managed venv when it has requirements; minutes of pip, shown as the job's message), then the
 * backend. The owner engine goes on watching the job; any other engine hands it over once its
 * ranks run (engine/ownership), or records its end itself if it ended first or was cancelled
 * while starting.
 */
import type { Settings } from '../api/contract.js';
import type { Backend, BackendCallbacks, JobOutcome, Placement, RunningJob } from '../backends/backend.js';
import type { JobRepo } from './job-repo.js';
import { PythonEnvError } from './python-env/env-errors.js';
import type { TrainJob } from './trainjob/index.js';
import type { WatchedJobs } from './watched-jobs.js';

export interface LaunchedJob {
  workspace: string;
  job: TrainJob;
  numNodes: number;
  numProcPerNode: number;
  backend: Backend;
  placement?: Placement | undefined;
}

export interface LaunchContext {
  settings(): Settings;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  repo: JobRepo;
  watched: WatchedJobs;
  /** The interpreter jobs get without requirements. */
  python(): string;
  /** The interpreter this job got (for failure hints). */
  onPython(python: string): void;
  callbacks: BackendCallbacks;
  emitChanged(): void;
  isOwner(): boolean;
}

export async function launchJob(ctx: LaunchContext, id: string, jobDir: string, j: LaunchedJob, abort: AbortController): Promise<void> {
  let python = ctx.python();
  try {
    // Host Python only matters for host processes; an image brings its own Python and packages.
    if (j.backend.id === 'local-process') {
      let lastShown = 0;
      const { prepareJobPython } = await import('./python-env/job-python.js');
      const py = await prepareJobPython({
        settings: ctx.settings(),
        env: ctx.env,
        workspace: j.workspace,
        annotations: j.job.metadata.annotations,
        dataDir: ctx.dataDir,
        signal: abort.signal,
        onProgress: (p) => {
          // pip can print thousands of lines: show the latest step at most twice a second.
          if (Date.now() - lastShown < 500 && p.step === 'pip') return;
          lastShown = Date.now();
          ctx.repo.setMessage(id, p.line ? `${p.message}: ${p.line}` : p.message);
          ctx.emitChanged();
        },
      });
      python = py.python;
      ctx.onPython(python);
      if (abort.signal.aborted) throw new PythonEnvError('cancelled', 'Cancelled while preparing the Python environment.');
      ctx.repo.setMessage(id, `Python: ${py.description}`);
    }
    const running = await j.backend.start(
      {
        jobId: id,
        job: j.job,
        workspace: j.workspace,
        jobDir,
        numNodes: j.numNodes,
        numProcPerNode: j.numProcPerNode,
        baseEnv: ctx.env,
        python,
        ...(j.placement ? { placement: j.placement } : {}),
        signal: abort.signal,
      },
      ctx.callbacks,
    );
    if (abort.signal.aborted) {
      // Cancelled while it started: the one that launched it ends it (no owner has adopted it yet).
      const recorded = ctx.watched.watch(id, jobDir, running, ctx.isOwner());
      await running.cancel();
      await recorded;
    } else if (ctx.isOwner()) {
      void ctx.watched.watch(id, jobDir, running, true);
    } else {
      // Hand it over once its ranks have started (so whoever lists it next sees it Running),
      // or record its end here if it ended first: the owner adopts it once our launch row is gone.
      const ended = await untilStarted(running);
      if (ended) await ctx.watched.finish(id, ended, jobDir);
      else running.detach();
    }
  } catch (err) {
    const cancelled = err instanceof PythonEnvError && err.kind === 'cancelled';
    const reason = cancelled ? 'Cancelled' : err instanceof PythonEnvError ? 'EnvSetupFailed' : 'StartFailed';
    await ctx.watched.finish(id, { status: cancelled ? 'Cancelled' : 'Failed', reason, message: (err as Error).message, exitCode: null, failedRank: null }, jobDir);
  }
}

/** Resolves null once every rank has left Pending (or after `capMs`), or with the outcome if the job ended first. */
async function untilStarted(running: RunningJob, capMs = 3000): Promise<JobOutcome | null> {
  let outcome: JobOutcome | null = null;
  running.done.then(
    (o) => (outcome = o),
    (err: unknown) => (outcome = { status: 'Failed', reason: 'BackendError', message: (err as Error).message, exitCode: null, failedRank: null }),
  );
  const deadline = Date.now() + capMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (outcome) return outcome;
    const ranks = running.ranks();
    if ((ranks.length > 0 && ranks.every((r) => r.status !== 'Pending')) || Date.now() > deadline) return null;
  }
}

/**
 * The one interface every backend implements (local-process, container, kubernetes).
 *
 * A backend starts ranks and reports their state; it does not carry logs. Every rank's output
 * goes to `<jobDir>/logs/rank-<globalRank>.log` in the format of engine/jobs/logs/log-format.ts,
 * written by something that outlives the engine (a wrapper process, a container log follower,
 * a pod log stream), and the job service tails those files. So logs keep flowing to disk when
 * the app is killed, and re-attaching after a restart is "tail from the last offset".
 */
import type { PullProgress } from '../api/schemas/images.js';
import type { BackendId, RankInfo } from '../api/schemas/jobs.js';
import type { TrainJob } from '../jobs/trainjob/trainjob-schema.js';

export interface JobLaunch {
  jobId: string;
  job: TrainJob;
  /** Absolute workspace folder: the ranks' working directory (or bind mount). */
  workspace: string;
  /** `<dataDir>/jobs/<jobId>`: logs/ and whatever state the backend needs to re-attach. */
  jobDir: string;
  numNodes: number;
  numProcPerNode: number;
  /** The user's environment; `spec.trainer.env` is merged over it (PATH kept). */
  baseEnv: NodeJS.ProcessEnv;
  /** Interpreter that replaces a bare `python`/`python3` in the command. */
  python: string;
  /** Time between SIGTERM and SIGKILL on cancel or when another rank failed. */
  graceMs?: number;
  /** Cancels what comes before the ranks (an image pull, build, push, kind load, the submit): `start` then ends Cancelled, leaving nothing behind. */
  signal?: AbortSignal;
  /** Where on the backend (kubernetes: target, namespace, how the workspace is shipped). */
  placement?: Placement;
}

/** Backends with several places to run (kubernetes targets) take one; the others ignore it. */
export interface Placement {
  /** A target id or context name. */
  target?: string;
  namespace?: string;
  shipping?: 'auto' | 'hostPath' | 'configMap' | 'image';
}

export interface JobOutcome {
  status: 'Complete' | 'Failed' | 'Cancelled';
  /** Machine-readable cause: `Succeeded`, `RankFailed`, `Cancelled`, `StartFailed`, `Lost`, … */
  reason: string;
  /** One sentence the user can act on, e.g. "rank 1 (node 1) exited with code 3 first". */
  message: string;
  exitCode: number | null;
  failedRank: number | null;
}

export interface BackendCallbacks {
  /** Called whenever a rank starts, exits or is stopped. */
  onRankUpdate(rank: RankInfo): void;
  /** What the job is doing or waiting for, in a sentence ("node 0: waiting for GPUs …"); shown as the job's message. */
  onMessage?(message: string): void;
  /** Image work the job waits for (pull, build, push, kind load), a few times a second; the job page shows it as progress bars. */
  onProgress?(progress: PullProgress): void;
}

export interface RunningJob {
  ranks(): RankInfo[];
  /** Resolves once every rank has ended and nothing is left running. */
  readonly done: Promise<JobOutcome>;
  /** SIGTERM (or the backend's equivalent), then a hard stop after the grace period. */
  cancel(): Promise<void>;
  /** Stop watching (timers, watchers) without touching the ranks: the engine is shutting down. */
  detach(): void;
}

export interface Backend {
  readonly id: BackendId;
  /** Where jobs run, for people: "Docker 28.2 at /var/run/docker.sock", "<context>/<namespace>". Default: localhost. */
  target?(placement?: Placement): Promise<string>;
  /** The placement a job ran with, from its jobDir (a re-run goes to the same place). */
  placementOf?(jobDir: string): Placement | null;
  start(launch: JobLaunch, callbacks: BackendCallbacks): Promise<RunningJob>;
  /**
   * After an engine restart: from what `start` left in `jobDir`, re-attach to ranks still
   * running, and report real exit codes of ranks that ended meanwhile.
   */
  reattach(jobId: string, jobDir: string, callbacks: BackendCallbacks): Promise<RunningJob>;
}

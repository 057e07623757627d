/**
 * What the owner engine of the data dir does for jobs it did not start itself (engine/ownership):
 * when it becomes the owner it re-attaches to every job still running (recording first those
 * that ended while no engine watched them); later it adopts the jobs other engines finished
 * launching, and it serves cancel requests. A non-owner that is launching jobs serves the cancel
 * requests for those itself.
 */
import { isFinal, type JobRepo } from './job-repo.js';
import type { JobRequests } from './job-requests.js';
import type { WatchedJobs } from './watched-jobs.js';

/** An engine that dies while launching leaves no commit behind: the owner looks again this soon. */
const STALE_LAUNCH_POLL_MS = 2000;

export interface AdoptionContext {
  repo: JobRepo;
  requests: JobRequests;
  watched: WatchedJobs;
  /** Jobs this engine is launching: left alone here; their launch ends by watching or handing over. */
  launching: ReadonlyMap<string, { abort: AbortController }>;
  isOwner(): boolean;
}

export class JobAdoption {
  private chain: Promise<void> = Promise.resolve();
  private launchTimer: NodeJS.Timeout | null = null;
  /** Resolves once the owner has re-attached to what an earlier engine left (at once for other engines). */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly c: AdoptionContext) {}

  /** The adoption under way, if any. */
  get underWay(): Promise<void> {
    return this.chain;
  }

  becomeOwner(): void {
    this.ready = this.adoptAll(true);
  }

  async letGo(): Promise<void> {
    if (this.launchTimer) clearTimeout(this.launchTimer);
    this.launchTimer = null;
    await this.chain;
    await this.c.watched.letGo();
  }

  /**
   * The owner takes every running job nobody watches: all of them when it becomes the owner
   * (`waitForEnded`: and records first those whose ranks all ended meanwhile), later the ones
   * other engines finished launching; then it serves cancel requests.
   */
  adoptAll(waitForEnded: boolean): Promise<void> {
    const { repo, requests, watched, launching, isOwner } = this.c;
    const run = this.chain.then(async () => {
      if (!isOwner()) return;
      requests.clearStaleLaunches();
      for (const job of repo.nonFinal()) {
        if (!isOwner()) return;
        if (watched.has(job.id) || launching.has(job.id) || requests.launchingElsewhere(job.id)) continue;
        const recorded = await watched.adopt(job);
        if (waitForEnded && recorded) await recorded;
      }
      this.serveRequests();
      // Another engine is starting jobs: look again a little later (nothing runs on a timer
      // otherwise: an idle owner uses no CPU).
      if (requests.hasLaunches() && !this.launchTimer) {
        this.launchTimer = setTimeout(() => {
          this.launchTimer = null;
          void this.adoptAll(false);
        }, STALE_LAUNCH_POLL_MS);
        this.launchTimer.unref();
      }
    });
    this.chain = run.catch((err: unknown) => console.warn('jobs: re-attaching failed:', err));
    return this.chain;
  }

  /** Cancel requests for jobs in hand here: watched (owner) or being launched by this engine. */
  serveRequests(): void {
    const { repo, requests, watched, launching } = this.c;
    for (const id of requests.pending('cancel')) {
      const job = repo.get(id);
      if (!job || isFinal(job.status)) requests.done(id, 'cancel');
      else if (launching.has(id)) launching.get(id)!.abort.abort(); // ends as Cancelled once the launch is done
      else if (watched.has(id)) {
        requests.done(id, 'cancel');
        void watched.cancel(id);
      }
    }
  }
}

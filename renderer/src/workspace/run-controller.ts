/**
 * The run toolbar's logic: where to run (targets from the engine, unavailable ones with their
 * reason), the quick controls that edit trainjob.yaml, Run (check, save all, `jobs.run`) and
 * Stop (`jobs.cancel`), and following the started job's status.
 */
import type { BackendId, JobSummary, SpecIssue } from '../../../engine/api/contract';
import { KfdApiError, errorText } from '../api/client';
import { revealInEditor, setYamlSchemas } from '../editor/editor-bridge';
import { fresher } from '../jobs/jobs-list';
import { readQuick, writeQuick, type QuickField, type QuickValues } from './quick-controls';
import { mergeRunTargets, runInput, type KubeList } from './run-choices';
import { JOB_FILE, type RunState } from './session-state';
import type { WorkspaceSession } from './workspace-session';

const FINAL = new Set(['Complete', 'Failed', 'Cancelled']);

export function isRunning(job: JobSummary | null): boolean {
  return job !== null && !FINAL.has(job.status);
}

export class RunController {
  private readonly offJobs: () => void;
  /** Changes seen while `jobs.run` had not answered yet (a cluster job can move on before it does). */
  private early = new Map<string, JobSummary>();

  constructor(private readonly session: WorkspaceSession) {
    this.offJobs = session.api.on('jobs.changed', (summary) => {
      if (this.state.busy === 'starting' && summary.id !== this.state.job?.id) {
        this.early.set(summary.id, summary);
        return;
      }
      if (summary.id !== this.state.job?.id) return;
      this.set({ job: fresher(this.state.job, summary) });
    });
  }

  dispose(): void {
    this.offJobs();
  }

  get state(): RunState {
    return this.session.state.run;
  }

  private set(patch: Partial<RunState>): void {
    this.session.update((s) => ({ ...s, run: { ...s.run, ...patch } }));
  }

  backend(): BackendId {
    return this.state.targets.find((t) => t.id === this.state.targetId)?.backend ?? 'local-process';
  }

  async connect(): Promise<void> {
    await this.refreshTargets();
    await this.loadSchema();
  }

  /** Local backends plus every cluster target (kind clusters, kubeconfig contexts). */
  async refreshTargets(): Promise<void> {
    const api = this.session.api;
    const kube: Promise<KubeList> = api.call('targets.list', {}).catch((err: unknown) => ({ error: errorText(err) }));
    try {
      const targets = mergeRunTargets(await api.call('workspace.targets', {}), await kube);
      const keep = targets.some((t) => t.id === this.state.targetId && t.available);
      this.set({ targets, targetId: keep ? this.state.targetId : (targets.find((t) => t.available)?.id ?? 'local-process') });
    } catch (err) {
      this.set({ error: `Could not list where jobs can run: ${errorText(err)}` });
    }
  }

  /** Hovers and completion for trainjob.yaml, with the runtime names the target knows. */
  private async loadSchema(): Promise<void> {
    try {
      const { schema } = await this.session.api.call('workspace.jobSchema', { target: this.state.targetId });
      setYamlSchemas([{ fileMatch: ['**/trainjob.yaml', '**/trainjob.yml'], uri: 'kfd://schemas/trainjob.json', schema }]);
    } catch {
      // Without a schema the editor still works, just without hovers.
    }
  }

  setTarget(targetId: string): void {
    this.set({ targetId, error: null });
    void this.loadSchema();
    this.session.scheduleValidate(0); // what a backend cannot honour differs per backend
  }

  quickValues(): QuickValues | null {
    const text = this.session.jobText();
    return text === null ? null : readQuick(text);
  }

  setQuick(field: QuickField, value: number | null): void {
    const text = this.session.jobText();
    if (text === null) return;
    const next = writeQuick(text, field, value);
    if (next !== text) this.session.edit(JOB_FILE, next);
  }

  /** Checks the buffer, saves every edited file, then starts the job on the chosen target. */
  async start(): Promise<void> {
    const target = this.state.targets.find((t) => t.id === this.state.targetId);
    if (target && !target.available) {
      this.set({ error: target.reason });
      return;
    }
    this.set({ busy: 'starting', error: null });
    try {
      await this.session.validate();
      const problems = this.session.state.validation?.errors ?? [];
      if (this.session.jobText() !== null && problems.length > 0) return this.refuse(problems);
      if (!(await this.session.saveAll())) {
        this.set({ error: 'Not started: a file could not be saved (see above).' });
        return;
      }
      const job = await this.session.api.call('jobs.run', runInput(this.session.root, this.state.targets.find((t) => t.id === this.state.targetId)));
      const seen = this.early.get(job.id);
      this.set({ job: seen ? fresher(job, seen) : job, panelOpen: true });
    } catch (err) {
      const errors = err instanceof KfdApiError ? (err.details as { errors?: SpecIssue[] } | undefined)?.errors : undefined;
      if (errors?.length) return this.refuse(errors);
      this.set({ error: `Could not start the job: ${errorText(err)}` });
    } finally {
      this.early.clear();
      this.set({ busy: null });
    }
  }

  private refuse(problems: readonly SpecIssue[]): void {
    const first = problems[0]!;
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    this.set({ error: `Not started: ${JOB_FILE} has ${count}. ${problems.length > 1 ? 'First: ' : ''}${first.message}` });
    void this.session.openFile(JOB_FILE, true).then(() => revealInEditor({ path: this.session.absPath(JOB_FILE), line: first.line, column: first.column }));
  }

  async stop(): Promise<void> {
    const job = this.state.job;
    if (!job || !isRunning(job)) return;
    this.set({ busy: 'stopping', error: null });
    try {
      this.set({ job: await this.session.api.call('jobs.cancel', { id: job.id }) });
    } catch (err) {
      this.set({ error: `Could not stop the job: ${errorText(err)}` });
    } finally {
      this.set({ busy: null });
    }
  }

  setPanelOpen(panelOpen: boolean): void {
    this.set({ panelOpen });
  }
}

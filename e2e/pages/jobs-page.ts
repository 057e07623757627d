/**
 * Page object for the Jobs table, a job's page, its log view and metric charts. Same rule as
 * AppPage: roles and test ids only, so it drives the web build and the Electron window alike.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type JobStatus = 'Created' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

export class JobsPage {
  constructor(readonly page: Page) {}

  /** The table's rows (only those scrolled into view exist: the table is virtualized). */
  rows(): Locator {
    return this.page.getByTestId('job-row');
  }

  row(name: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('link', { name, exact: true }) }).first();
  }

  /** Opens the Jobs page if needed, then the newest job with this name. */
  async openJob(name: string): Promise<void> {
    if (!(await this.page.getByTestId('page-jobs').isVisible())) {
      await this.page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Jobs', exact: true }).click();
    }
    await this.row(name).click();
    await expect(this.detail).toBeVisible();
    await expect(this.page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }

  /** The status in the table row of the newest job with this name. */
  async statusOf(name: string): Promise<JobStatus> {
    const row = this.row(name);
    await expect(row).toBeVisible();
    return (await row.getAttribute('data-status')) as JobStatus;
  }

  get detail(): Locator {
    return this.page.getByTestId('page-job');
  }

  /** Waits until the open job (or, on the table, the first row) has this status. */
  async waitForStatus(status: JobStatus, timeout = 60_000): Promise<void> {
    if (await this.detail.isVisible()) {
      await expect(this.detail).toHaveAttribute('data-status', status, { timeout });
    } else {
      await expect(this.rows().first()).toHaveAttribute('data-status', status, { timeout });
    }
  }

  filterChip(name: 'All' | 'Running' | 'Complete' | 'Failed' | 'Cancelled'): Locator {
    return this.page.getByRole('group', { name: /filter by status/i }).getByRole('button', { name: new RegExp(`^${name}`) });
  }

  async searchJobs(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search jobs' }).fill(text);
  }

  // ---- Log view ----

  get logView(): Locator {
    return this.page.getByTestId('log-view');
  }

  logLines(): Locator {
    return this.page.getByTestId('log-line');
  }

  /** The log lines currently rendered (the view is virtualized), joined by newlines. */
  async logText(): Promise<string> {
    return (await this.logLines().allInnerTexts()).join('\n');
  }

  /** Shows only one rank's lines; null = all ranks. */
  async rankFilter(rank: number | null): Promise<void> {
    await this.logView.getByRole('combobox', { name: 'Rank' }).selectOption(rank === null ? 'all' : String(rank));
    if (rank !== null) {
      await expect(this.logLines().first()).toHaveAttribute('data-rank', String(rank));
    }
  }

  /** Types into the log search box; matches are highlighted and the view jumps to the first. */
  async searchLogs(text: string): Promise<void> {
    await this.logView.getByRole('searchbox', { name: 'Search logs' }).fill(text);
    if (text) await expect(this.page.getByTestId('log-match-count')).not.toHaveText('');
  }

  async nextMatch(): Promise<void> {
    await this.logView.getByRole('button', { name: 'Next match' }).click();
  }

  /** The Follow toggle (aria-pressed says whether it is on). */
  followToggle(): Locator {
    return this.logView.getByRole('button', { name: 'Follow' });
  }

  // ---- Metrics ----

  charts(): Locator {
    return this.page.getByTestId('metric-chart');
  }

  /** The chart of one metric, e.g. `chart('loss')`. */
  chart(name: string): Locator {
    return this.page.locator(`[data-testid="metric-chart"][data-metric="${name.replace(/["\\]/g, '\\$&')}"]`);
  }

  // ---- Actions ----

  async cancel(): Promise<void> {
    await this.detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.waitForStatus('Cancelled');
  }

  /** Re-runs the open job and waits for the new job's page; returns the new job's id. */
  async rerun(): Promise<string> {
    const before = await this.detail.getAttribute('data-job-id');
    await this.detail.getByRole('button', { name: 'Re-run', exact: true }).click();
    let next: string | null = null;
    await expect
      .poll(async () => {
        next = await this.detail.getAttribute('data-job-id');
        return next !== null && next !== before;
      })
      .toBe(true);
    return next ?? '';
  }
}

/**
 * Page object for Promote (the dialog on a job's page), lineage, the compare view, a kubernetes
 * job's cluster panel and Settings → Clusters & contexts. Roles and test ids only, so the same
 * object drives the web build and the Electron window.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class PromotePage {
  constructor(readonly page: Page) {}

  get jobPage(): Locator {
    return this.page.getByTestId('page-job');
  }

  get dialog(): Locator {
    return this.page.getByTestId('promote-dialog');
  }

  get preview(): Locator {
    return this.dialog.getByTestId('promote-preview');
  }

  /** Opens the Promote dialog of the job whose page is open. */
  async open(): Promise<void> {
    await this.jobPage.getByRole('button', { name: 'Promote…' }).click();
    await expect(this.dialog).toBeVisible();
  }

  field(label: 'Cluster or context' | 'Namespace' | 'Runtime' | 'Image' | 'CPU / node' | 'Memory / node' | 'GPUs / node' | 'Nodes' | 'Ship the workspace as'): Locator {
    return this.dialog.getByLabel(label, { exact: true });
  }

  /** The suggestions of a combobox input (its datalist). */
  async suggestions(input: Locator): Promise<string[]> {
    const list = await input.getAttribute('list');
    if (!list) return [];
    const options = await this.page.locator(`datalist[id="${list}"] option`).all();
    return Promise.all(options.map(async (o) => (await o.getAttribute('value')) ?? ''));
  }

  /** The suggestions of the promote dialog's namespace combobox. */
  namespaceSuggestions(): Promise<string[]> {
    return this.suggestions(this.field('Namespace'));
  }

  /** The runtime choices as labelled ("torch-distributed", "team-b-torch (namespace)"). */
  async runtimeChoices(): Promise<string[]> {
    return this.field('Runtime').locator('option').allTextContents();
  }

  /** Whether keyboard focus is inside the dialog. */
  async focusInside(): Promise<boolean> {
    return (await this.dialog.locator(':focus').count()) > 0;
  }

  /** Waits until the preview on screen answers the form as it is now (not an older input). */
  async waitForPreview(timeout = 30_000): Promise<void> {
    await expect(this.preview).toBeVisible({ timeout });
    await expect(this.preview).toHaveAttribute('data-stale', 'false', { timeout });
    await expect(this.dialog.getByTestId('promote-status')).toContainText(/Ready|Blocked/, { timeout });
  }

  /** The Monaco diff editor (its line-change count lands in data-changes once computed). */
  get diff(): Locator {
    return this.dialog.getByTestId('monaco-diff');
  }

  async showTab(name: RegExp): Promise<void> {
    await this.dialog.getByRole('tab', { name }).click();
  }

  shippedFiles(): Locator {
    return this.dialog.getByTestId('promote-file');
  }

  get submitButton(): Locator {
    return this.dialog.getByRole('button', { name: /^Submit to / });
  }

  /** Submits and waits for the new job's page; returns its id. */
  async submit(previousJobId: string): Promise<string> {
    await this.submitButton.click();
    await expect(this.dialog).toBeHidden({ timeout: 60_000 });
    let next: string | null = null;
    await expect
      .poll(async () => {
        next = await this.jobPage.getAttribute('data-job-id');
        return next !== null && next !== previousJobId;
      })
      .toBe(true);
    return next ?? '';
  }

  // ---- Lineage, compare, cluster ----

  lineageRow(jobId: string): Locator {
    return this.page.locator(`[data-testid="lineage-row"][data-job-id="${jobId}"]`);
  }

  async compareWithParent(): Promise<void> {
    await this.page.getByTestId('compare-parent').click();
    await expect(this.page.getByTestId('compare-table')).toBeVisible();
  }

  compareStatuses(): Locator {
    return this.page.getByTestId('compare-status');
  }

  get clusterPanel(): Locator {
    return this.page.getByTestId('job-cluster');
  }

  clusterPods(): Locator {
    return this.clusterPanel.getByTestId('cluster-pod');
  }

  // ---- Settings → Clusters & contexts ----

  targetCard(targetId: string): Locator {
    return this.page.locator(`[data-testid="target-card"][data-target-id="${targetId}"]`);
  }
}

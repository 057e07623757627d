/**
 * Page object for the Experiments page: the list, one experiment (best trial, trials table,
 * charts) and Tune…. Roles and test ids only, so it drives the web build and Electron alike.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class ExperimentsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Experiments', exact: true }).click();
    await expect(this.page.getByTestId('page-experiments')).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByTestId('experiment-row').filter({ has: this.page.getByRole('link', { name, exact: true }) }).first();
  }

  async openExperiment(name: string): Promise<void> {
    await this.row(name).click();
    await expect(this.detail).toBeVisible();
  }

  get detail(): Locator {
    return this.page.getByTestId('experiment-detail');
  }

  async waitForStatus(status: 'Succeeded' | 'Failed', timeoutMs = 120_000): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-status', status, { timeout: timeoutMs });
  }

  trialRows(): Locator {
    return this.page.getByTestId('trial-row');
  }

  /** What the page says the best trial is: name, objective and the marked row's trial. */
  async bestTrial(): Promise<{ name: string; objective: number; markedRow: string | null }> {
    const name = (await this.page.getByTestId('best-trial-name').innerText()).trim();
    const objectiveText = (await this.page.getByTestId('best-trial-objective').innerText()).split('=')[1] ?? '';
    const markedRow = await this.page.locator('[data-testid="trial-row"][data-best="true"]').getAttribute('data-trial');
    return { name, objective: Number(objectiveText), markedRow };
  }

  /** Every row's objective as shown, in table order. */
  async objectives(): Promise<number[]> {
    const texts = await this.page.getByTestId('trial-objective').allInnerTexts();
    return texts.map((t) => (t.trim() === '—' ? NaN : Number(t)));
  }

  async sortBy(column: string): Promise<void> {
    await this.page.getByTestId(`sort-${column}`).click();
  }
}

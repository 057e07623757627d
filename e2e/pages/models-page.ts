/**
 * Page object for the Models page, a model server's page (Try it, load test) and the Register
 * dialog on a job's page. Roles and test ids only, so it drives the web build and Electron alike.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class ModelsPage {
  constructor(readonly page: Page) {}

  /** On a completed job's page: Register model… with this name (the file defaults to model.joblib). */
  async registerFromJob(name: string, file = 'model.joblib'): Promise<void> {
    await this.page.getByTestId('register-model').click();
    const dialog = this.page.getByTestId('register-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Model name').fill(name);
    await dialog.getByLabel('Model file or folder').fill(file);
    await dialog.getByTestId('register-submit').click();
    await expect(dialog).toBeHidden();
  }

  version(ref: string): Locator {
    return this.page.locator(`[data-testid=model-version][data-version="${ref}"]`);
  }

  get server(): Locator {
    return this.page.getByTestId('page-model-server');
  }

  async waitForServer(state: string, timeout = 60_000): Promise<void> {
    await expect(this.server).toHaveAttribute('data-state', state, { timeout });
  }

  /** Try it: random pixels, Send; returns the latency line. */
  async tryRandom(): Promise<string> {
    const tryIt = this.page.getByTestId('try-it');
    await tryIt.getByRole('button', { name: 'Random input' }).click();
    await tryIt.getByTestId('try-send').click();
    await expect(tryIt.getByTestId('try-outputs')).toBeVisible();
    return (await tryIt.getByTestId('try-latency').textContent()) ?? '';
  }

  async loadTest(requests: number, concurrency: number): Promise<Locator> {
    const box = this.page.getByTestId('load-test');
    await box.getByLabel('Requests', { exact: true }).fill(String(requests));
    await box.getByLabel('Concurrent requests').fill(String(concurrency));
    await box.getByTestId('load-run').click();
    const stats = box.getByTestId('load-stats');
    await expect(stats).toBeVisible({ timeout: 60_000 });
    return stats;
  }
}

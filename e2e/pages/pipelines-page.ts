/**
 * Page object for the Pipelines page: start a run from a pipeline file with its parameter form,
 * the run's graph, a task's panel and its artifact previews. Roles and test ids only.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class PipelinesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Pipelines', exact: true }).click();
    await expect(this.page.getByTestId('page-pipelines')).toBeVisible();
  }

  /** Loads a pipeline file by path; the parameter form appears (a .py is compiled with kfp first). */
  async load(file: string): Promise<void> {
    await this.page.getByTestId('starter-path').fill(file);
    await this.page.getByRole('button', { name: 'Load' }).click();
    await expect(this.page.getByTestId('parameter-form')).toBeVisible({ timeout: 180_000 });
  }

  parameter(name: string): Locator {
    return this.page.locator(`[data-testid="parameter-form"] [data-param="${name}"]`);
  }

  async start(): Promise<string> {
    await this.page.getByTestId('start-run').click();
    const run = this.page.getByTestId('page-pipeline-run');
    await expect(run).toBeVisible();
    return (await run.getAttribute('data-run-id'))!;
  }

  node(path: string): Locator {
    return this.page.locator(`[data-testid="graph-node"][data-path="${path}"]`);
  }

  async waitForRun(status: 'Succeeded' | 'Failed' | 'Cancelled', timeout = 240_000): Promise<void> {
    await expect(this.page.getByTestId('page-pipeline-run')).toHaveAttribute('data-status', status, { timeout });
  }

  async openTask(path: string): Promise<Locator> {
    await this.node(path).click();
    const panel = this.page.getByTestId('task-panel');
    await expect(panel).toHaveAttribute('data-path', path);
    return panel;
  }

  async openArtifact(label: string): Promise<Locator> {
    await this.page.getByTestId('artifact-button').filter({ hasText: label }).click();
    const preview = this.page.getByTestId('artifact-preview');
    await expect(preview).toBeVisible();
    return preview;
  }
}

/** Settings → Kubeflow Pipelines. */
export class KfpSettings {
  constructor(readonly page: Page) {}

  get form(): Locator {
    return this.page.getByTestId('kfp-settings');
  }

  async save(values: { endpoint: string; namespace?: string; token?: string }): Promise<void> {
    await this.form.getByLabel('Endpoint').fill(values.endpoint);
    if (values.namespace !== undefined) await this.form.getByLabel('Namespace').fill(values.namespace);
    if (values.token !== undefined) await this.form.getByLabel('Token').fill(values.token);
    await this.form.getByRole('button', { name: 'Save' }).click();
    await expect(this.form.getByRole('status')).toHaveText('Saved.');
  }
}

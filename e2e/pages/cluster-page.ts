/** Page object for the Cluster page (roles and test ids only, like the other page objects). */
import { expect, type Locator, type Page } from '@playwright/test';

export class ClusterPage {
  constructor(readonly page: Page) {}

  get createButton(): Locator {
    return this.page.getByRole('button', { name: 'Create local Kubeflow' });
  }
  get operation(): Locator {
    return this.page.getByTestId('cluster-operation');
  }
  step(id: string): Locator {
    return this.page.locator(`[data-testid="cluster-step"][data-step-id="${id}"]`);
  }
  cluster(name: string): Locator {
    return this.page.locator(`[data-testid="cluster-row"][data-cluster="${name}"]`);
  }
  async waitForOperation(status: 'succeeded' | 'failed' | 'cancelled', timeout = 90_000): Promise<void> {
    await expect(this.operation).toHaveAttribute('data-status', status, { timeout });
  }
  /** Opens a step's log (each step is a <details>). */
  async openStepLog(id: string): Promise<Locator> {
    const step = this.step(id);
    const details = step.locator('details');
    if ((await details.getAttribute('open')) === null) await step.locator('summary').click();
    return step.getByTestId('cluster-step-logs');
  }
}

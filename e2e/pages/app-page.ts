/**
 * Page object for the app frame. The same object drives the web build in Chromium and the
 * Electron window (both render the same React app), so selectors are roles and test ids only.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export const PAGES = ['Jobs', 'Workspace', 'Notebooks', 'Experiments', 'Pipelines', 'Models', 'Cluster', 'Doctor', 'Settings'] as const;
export type PageTitle = (typeof PAGES)[number];

export class AppPage {
  constructor(readonly page: Page) {}

  get sidebar(): Locator {
    return this.page.getByRole('navigation', { name: /main/i });
  }

  navLink(title: PageTitle): Locator {
    return this.sidebar.getByRole('link', { name: title, exact: true });
  }

  heading(title: PageTitle): Locator {
    return this.page.getByRole('heading', { level: 1, name: title, exact: true });
  }

  async open(title: PageTitle): Promise<void> {
    await this.navLink(title).click();
    await this.expectOn(title);
  }

  async expectOn(title: PageTitle): Promise<void> {
    await expect(this.heading(title)).toBeVisible();
    await expect(this.navLink(title)).toHaveAttribute('aria-current', 'page');
  }

  get statusBar(): Locator {
    return this.page.getByRole('contentinfo');
  }

  doctorRows(): Locator {
    return this.page.getByTestId('doctor-row');
  }

  /** Waits until no doctor row is still checking, then returns {id → status}. */
  async doctorResults(): Promise<Record<string, string>> {
    await expect(this.doctorRows().first()).toBeVisible();
    await expect(this.page.locator('[data-testid="doctor-row"][data-status="pending"]')).toHaveCount(0, { timeout: 45_000 });
    const rows = await this.doctorRows().all();
    const results: Record<string, string> = {};
    for (const row of rows) {
      results[(await row.getAttribute('data-check-id')) ?? '?'] = (await row.getAttribute('data-status')) ?? '?';
    }
    return results;
  }

  async setTheme(theme: 'System' | 'Light' | 'Dark'): Promise<void> {
    await this.open('Settings');
    await this.page.getByLabel(/theme/i).selectOption({ label: theme });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
  }
}

/**
 * Page object for the Notebooks screens: the notebook list, an open notebook's toolbar, cells
 * and outputs. Roles, labels and test ids only, so it drives the web build and Electron alike.
 */
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';

export class NotebooksPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Notebooks', exact: true }).click();
    await expect(this.page.getByTestId('page-notebooks')).toBeVisible();
  }

  /** Lists the notebooks of a workspace folder and opens one of them. */
  async openNotebook(folder: string, file: string): Promise<void> {
    await this.page.getByLabel('Workspace folder').fill(folder);
    await this.page.getByRole('button', { name: 'List notebooks' }).click();
    await this.page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: file }).click();
    await expect(this.editor).toBeVisible();
  }

  get editor(): Locator {
    return this.page.getByTestId('notebook-editor');
  }

  get jupyter(): Locator {
    return this.page.getByTestId('jupyter-panel');
  }

  toolbarButton(name: string | RegExp): Locator {
    return this.page.getByRole('toolbar', { name: 'Notebook' }).getByRole('button', { name });
  }

  cells(): Locator {
    return this.page.getByTestId('nb-cell');
  }

  cell(index: number): Locator {
    return this.cells().nth(index);
  }

  async runAll(): Promise<void> {
    await this.toolbarButton(/Run all/).click();
  }

  async runCell(index: number): Promise<void> {
    await this.cell(index).getByRole('button', { name: 'Run cell' }).click();
  }

  /** Types into a code cell's editor (replacing its text). */
  async setCode(index: number, code: string): Promise<void> {
    await this.cell(index).getByRole('textbox').fill(code);
  }

  /** Waits until the cell has run: not queued or running, and it got an execution count. */
  async waitForRun(index: number, timeout = 60_000): Promise<void> {
    await expect(this.cell(index)).toHaveAttribute('data-run', 'idle', { timeout });
    await expect(this.cell(index)).not.toHaveAttribute('data-execution-count', '', { timeout });
  }

  kernelStatus(): Locator {
    return this.page.getByTestId('kernel-status');
  }

  streams(index: number): Locator {
    return this.cell(index).getByTestId('output-stream');
  }

  images(index: number): Locator {
    return this.cell(index).getByTestId('output-image');
  }

  errors(index: number): Locator {
    return this.cell(index).getByTestId('output-error');
  }

  /** The sandboxed frame of an HTML or JavaScript output in a cell. */
  frame(index: number, mime: 'text/html' | 'application/javascript'): FrameLocator {
    return this.cell(index).locator(`iframe[data-mime="${mime}"]`).contentFrame();
  }

  dirtyMarker(): Locator {
    return this.page.getByTestId('dirty-marker');
  }

  /** The whole open notebook, cells below the fold included (the content pane scrolls, not the page). */
  async screenshotNotebook(name: string): Promise<void> {
    type Scroller = { scrollTop: number; scrollHeight: number };
    await this.page.getByRole('main').evaluate((main) => ((main as unknown as Scroller).scrollTop = 0));
    const height = await this.page.getByRole('main').evaluate((main) => (main as unknown as Scroller).scrollHeight);
    await this.page.setViewportSize({ width: 1280, height: Math.min(4000, height + 80) });
    await this.page.screenshot({ path: `e2e/artifacts/${name}.png` });
    await this.page.setViewportSize({ width: 1280, height: 800 });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
  }
}

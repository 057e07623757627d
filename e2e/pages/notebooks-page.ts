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

  /** Opens a folder as the workspace (as on the Workspace page) and lists its notebooks. */
  async openWorkspace(folder: string): Promise<void> {
    await this.page.getByRole('textbox', { name: /folder/i }).fill(folder);
    await this.page.getByRole('button', { name: 'Open folder' }).click();
    await expect(this.page.getByRole('list', { name: 'Notebooks' }).or(this.page.getByText(/No \.ipynb files/))).toBeVisible();
  }

  /** Opens a folder as the workspace and then one of its notebooks. */
  async openNotebook(folder: string, file: string): Promise<void> {
    await this.openWorkspace(folder);
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

  /** A cell's Monaco editor (cells get one once they are on screen). */
  monaco(index: number): Locator {
    return this.cell(index).getByTestId('cell-editor').locator('.monaco-editor');
  }

  /** The text a cell's editor shows (Monaco's rendered lines, or the stand-in textarea). */
  async cellText(index: number): Promise<string> {
    const editor = this.monaco(index);
    if (await editor.count()) return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    return this.cell(index).getByTestId('cell-editor').locator('textarea.nb-editor').inputValue();
  }

  /** Whether the keyboard focus is inside a cell (its editor). */
  async hasFocus(index: number): Promise<boolean> {
    return this.cell(index).evaluate((cell) => {
      const doc = (globalThis as unknown as { document: { activeElement: unknown } }).document;
      return (cell as unknown as { contains(node: unknown): boolean }).contains(doc.activeElement);
    });
  }

  /**
   * Replaces a code cell's text by typing into its Monaco editor, as a user would: click, select
   * all, type. Lines are typed one by one with Enter between them; Monaco indents after a colon,
   * so give continuation lines without their leading indentation.
   */
  async typeCode(index: number, lines: string[]): Promise<void> {
    const editor = this.monaco(index);
    await expect(editor).toBeVisible();
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    for (const [i, line] of lines.entries()) {
      if (i > 0) await this.page.keyboard.press('Enter');
      await this.page.keyboard.type(line);
    }
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

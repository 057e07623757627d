/**
 * Page object for the Workspace page: start screen, file tree, tabs, the Monaco editor, the run
 * toolbar and the run panel. Roles, labels and test ids only (plus Monaco's own classes for the
 * editor surface), so it drives the web build and the Electron window alike.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type RunStatus = 'Created' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

export class WorkspacePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Workspace', exact: true }).click();
    await expect(this.page.getByTestId('page-workspace')).toBeVisible();
  }

  // ---- Start screen ----

  async createFromTemplate(template: string, parent: string, name: string): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Template' }).getByRole('radio', { name: new RegExp(`^${template}\\b`) }).check();
    await this.page.getByLabel('Create in').fill(parent);
    await this.page.getByLabel('Folder name').fill(name);
    await this.page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }

  async openFolder(path: string): Promise<void> {
    await this.page.getByLabel(/Folder with your code/).fill(path);
    await this.page.getByRole('button', { name: 'Open', exact: true }).click();
  }

  // ---- Tree and tabs ----

  get tree(): Locator {
    return this.page.getByRole('tree', { name: 'Workspace files' });
  }

  treeItem(path: string): Locator {
    return this.tree.locator(`[role="treeitem"][data-path="${path}"]`);
  }

  async newFile(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New file', exact: true }).click();
    await this.page.getByLabel(/^New file in /).fill(name);
    await this.page.keyboard.press('Enter');
    await expect(this.treeItem(name)).toBeVisible();
  }

  async renameEntry(path: string, name: string): Promise<void> {
    await this.treeItem(path).click();
    await this.tree.press('F2');
    const field = this.page.getByLabel(`Rename ${path}`, { exact: true });
    await field.fill(name);
    await field.press('Enter');
  }

  async deleteEntry(path: string): Promise<void> {
    await this.treeItem(path).click();
    await this.tree.press('Delete');
    await this.page.getByRole('alertdialog', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(this.treeItem(path)).toHaveCount(0);
  }

  tab(path: string): Locator {
    return this.page.locator(`[data-testid="editor-tab"][data-path="${path}"]`);
  }

  async showTab(path: string): Promise<void> {
    await this.tab(path).getByRole('tab').click();
    await expect(this.editorPane).toHaveAttribute('data-path', path);
    await expect(this.editor).toBeVisible();
  }

  // ---- Editor ----

  get editorPane(): Locator {
    return this.page.getByTestId('editor-pane');
  }

  get editor(): Locator {
    return this.editorPane.locator('.monaco-editor');
  }

  /** The text Monaco renders (the visible lines), spaces normalised. */
  async editorText(): Promise<string> {
    const text = await this.editor.locator('.view-lines').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  /**
   * Replaces the text of the line that contains `find` (from its first non-blank character to
   * its end) with `text`, typing it as a user would.
   */
  async replaceLine(find: string, text: string): Promise<void> {
    const line = this.editor.locator('.view-line', { hasText: find }).first();
    await expect(line).toBeVisible();
    // A Monaco line box is as wide as the longest line can get: click at its start, not its centre.
    await line.click({ position: { x: 4, y: 4 } });
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Shift+Home');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Escape'); // close a suggestion list, if one opened
    await expect.poll(() => this.editorText()).toContain(text);
  }

  async save(): Promise<void> {
    await this.editor.click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+s');
  }

  /** Problems listed under trainjob.yaml (the engine's messages). */
  problems(severity?: 'error' | 'warning'): Locator {
    const items = this.page.getByTestId('problems').getByRole('listitem');
    return severity ? items.and(this.page.locator(`[data-severity="${severity}"]`)) : items;
  }

  /** Monaco's inline error squiggles. */
  squiggles(): Locator {
    return this.editor.locator('.squiggly-error');
  }

  /** Hovers the first error squiggle and returns Monaco's hover box. */
  async hoverFirstError(): Promise<Locator> {
    await this.squiggles().first().hover({ force: true });
    const hover = this.page.locator('.monaco-hover').filter({ hasText: /\S/ }).first();
    await expect(hover).toBeVisible();
    return hover;
  }

  /** Hovers a word on the line containing `find` and returns Monaco's hover box. */
  async hoverOn(find: string): Promise<Locator> {
    const box = await this.editor.locator('.view-line', { hasText: find }).first().boundingBox();
    if (!box) throw new Error(`no line with ${find}`);
    const indent = (await this.editorText()).split('\n').find((l) => l.includes(find))!.search(/\S/);
    await this.page.mouse.move(box.x + (indent + 2) * 7.2, box.y + box.height / 2);
    const hover = this.page.locator('.monaco-hover').filter({ hasText: /\S/ }).first();
    await expect(hover).toBeVisible();
    return hover;
  }

  /** Opens the completion list at the cursor (Ctrl+Space) and returns it. */
  async suggest(): Promise<Locator> {
    await this.page.keyboard.press('Control+Space');
    const widget = this.page.locator('.suggest-widget');
    await expect(widget).toBeVisible();
    return widget;
  }

  // ---- Run ----

  get toolbar(): Locator {
    return this.page.getByTestId('run-toolbar');
  }

  quick(label: 'Nodes' | 'Procs/node' | 'GPUs/node'): Locator {
    return this.toolbar.getByLabel(label, { exact: true });
  }

  /** Presses Run (which may refuse: see runError). */
  async pressRun(): Promise<void> {
    await this.toolbar.getByRole('button', { name: 'Run', exact: true }).click();
  }

  /** Presses Run and waits until the run panel shows the new job; returns its id. */
  async run(): Promise<string> {
    const before = (await this.runPanel.isVisible()) ? await this.runPanel.getAttribute('data-job-id') : null;
    await this.pressRun();
    let id: string | null = null;
    await expect
      .poll(async () => {
        id = (await this.runPanel.isVisible()) ? await this.runPanel.getAttribute('data-job-id') : null;
        return id !== null && id !== before;
      }, { timeout: 30_000 })
      .toBe(true);
    return id!;
  }

  get runError(): Locator {
    return this.page.getByTestId('run-error');
  }

  get runPanel(): Locator {
    return this.page.getByTestId('run-panel');
  }

  async waitForRun(status: RunStatus, timeout = 90_000): Promise<void> {
    await expect(this.runPanel).toHaveAttribute('data-status', status, { timeout });
  }

  logLines(): Locator {
    return this.runPanel.getByTestId('log-line');
  }

  chart(name: string): Locator {
    return this.runPanel.locator(`[data-testid="metric-chart"][data-metric="${name}"]`);
  }
}

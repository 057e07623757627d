/** Page object for the folder browser dialog (web mode's Browse…, the desktop dialog's fallback). */
import { expect, type Locator, type Page } from '@playwright/test';

export class FolderBrowserDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByTestId('folder-browser');
  }

  get list(): Locator {
    return this.dialog.getByRole('listbox');
  }

  option(name: string): Locator {
    return this.list.getByRole('option', { name, exact: true });
  }

  /** The folders listed, in order (waits until they are these). */
  async expectFolders(names: string[]): Promise<void> {
    await expect(this.list.getByRole('option')).toHaveText(names);
  }

  get crumbs(): Locator {
    return this.dialog.getByRole('navigation', { name: 'Folder path' });
  }

  get showHidden(): Locator {
    return this.dialog.getByRole('checkbox', { name: 'Show hidden folders' });
  }

  async expectAt(...path: string[]): Promise<void> {
    await expect(this.crumbs.getByRole('button')).toHaveText(['Home', ...path]);
  }

  async expectActive(name: string): Promise<void> {
    await expect(this.option(name)).toHaveAttribute('aria-selected', 'true');
  }
}

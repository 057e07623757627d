import { AppPage, PAGES } from '../pages/app-page.js';
import { expect, test } from '../fixtures/kfd-server.js';

test.describe('app frame in web mode', () => {
  test('opens from the printed URL, keeps the token for the tab and hides it from the address bar', async ({ page, kfd }) => {
    const app = new AppPage(page);
    await page.goto(kfd.url);
    await app.expectOn('Jobs');
    expect(page.url()).not.toContain('token=');
    await expect(app.statusBar).toContainText(/web mode/i);
    await expect(app.statusBar).toContainText(/0\.\d+\.\d+/);
    await page.reload();
    await app.expectOn('Jobs');
  });

  // One test per theme: each visits every page (nine of them, the Doctor's checks included).
  for (const theme of ['Dark', 'Light'] as const) {
    test(`every page is reachable from the sidebar and says what to do next (${theme.toLowerCase()})`, async ({ page, kfd }) => {
      const app = new AppPage(page);
      await page.goto(kfd.url);
      await app.setTheme(theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());
      for (const title of PAGES) {
        await app.open(title);
        if (title === 'Doctor') await app.doctorResults();
        await app.screenshot(`web-${title.toLowerCase()}-${theme.toLowerCase()}`);
      }
      // Empty states name the next step rather than showing a blank page.
      await app.open('Jobs');
      await expect(page.getByRole('main')).toContainText('kfd run');
      await app.open('Workspace');
      await expect(page.getByRole('main')).toContainText('kfd init');
    });
  }

  test('the theme choice is stored by the engine and survives a reload', async ({ page, kfd }) => {
    const app = new AppPage(page);
    await page.goto(kfd.url);
    await app.setTheme('Light');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await app.setTheme('Dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  test('keyboard: shortcuts jump to pages and arrow keys move through the sidebar', async ({ page, kfd }) => {
    const app = new AppPage(page);
    await page.goto(kfd.url);
    await app.expectOn('Jobs');
    await page.keyboard.press('Control+8');
    await app.expectOn('Doctor');
    await page.keyboard.press('Control+9');
    await app.expectOn('Settings');
    await app.navLink('Jobs').focus();
    await page.keyboard.press('ArrowDown');
    await expect(app.navLink('Workspace')).toBeFocused();
    await page.keyboard.press('Enter');
    await app.expectOn('Workspace');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(app.navLink('Settings')).toBeFocused();
    await page.goBack();
    await app.expectOn('Settings');
  });
});

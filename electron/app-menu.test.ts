import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, HELP_LINKS } from './app-menu.js';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((item) => item.label ?? item.role ?? '');
}

describe('buildMenuTemplate', () => {
  const openExternal = vi.fn();

  it('has File/Edit/View/Window/Help, plus the app menu on macOS', () => {
    expect(labels(buildMenuTemplate({ isMac: false, dev: false, appName: 'Kubeflow Desktop', openExternal }))).toEqual([
      'File',
      'Edit',
      'View',
      'Window',
      'help',
    ]);
    const mac = buildMenuTemplate({ isMac: true, dev: false, appName: 'Kubeflow Desktop', openExternal });
    expect(labels(mac)[0]).toBe('Kubeflow Desktop');
    expect(roles(mac)).toContain('about');
  });

  it('offers reload and DevTools only in dev', () => {
    for (const isMac of [false, true]) {
      const prod = roles(buildMenuTemplate({ isMac, dev: false, appName: 'K', openExternal }));
      expect(prod).not.toEqual(expect.arrayContaining(['reload']));
      for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(prod).not.toContain(role);
      const dev = roles(buildMenuTemplate({ isMac, dev: true, appName: 'K', openExternal }));
      for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(dev).toContain(role);
    }
  });

  it('keeps the standard editing roles so copy/paste work in the editor', () => {
    const all = roles(buildMenuTemplate({ isMac: false, dev: false, appName: 'K', openExternal }));
    expect(all).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit']));
  });

  it('help links go through openExternal', () => {
    const help = buildMenuTemplate({ isMac: false, dev: false, appName: 'K', openExternal }).at(-1)!;
    for (const item of help.submenu as MenuItemConstructorOptions[]) item.click?.(undefined as never, undefined, undefined as never);
    expect(openExternal.mock.calls).toEqual([[HELP_LINKS.docs], [HELP_LINKS.issues]]);
  });
});

/**
 * The application menu as data (File/Edit/View/Window/Help with standard roles). Reload and
 * DevTools exist only in dev: in a packaged app they would let anyone bypass the UI's state and
 * poke at the API from the console.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  isMac: boolean;
  dev: boolean;
  appName: string;
  /** Opens a documentation link in the system browser (validated by the caller). */
  openExternal(url: string): void;
}

export const HELP_LINKS = {
  docs: 'https://www.kubeflow.org/docs/components/trainer/',
  issues: 'https://github.com/kubeflow/trainer/issues',
} as const;

export function buildMenuTemplate({ isMac, dev, appName, openExternal }: MenuOptions): MenuItemConstructorOptions[] {
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
        },
      ]
    : [];
  const devItems: MenuItemConstructorOptions[] = dev ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep] : [];

  return [
    ...appMenu,
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(isMac ? ([{ role: 'pasteAndMatchStyle' }] as MenuItemConstructorOptions[]) : []),
        { role: 'delete' },
        sep,
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [...devItems, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }],
    },
    {
      label: 'Window',
      submenu: isMac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Kubeflow Trainer Documentation', click: () => openExternal(HELP_LINKS.docs) },
        { label: 'Report an Issue', click: () => openExternal(HELP_LINKS.issues) },
      ],
    },
  ];
}

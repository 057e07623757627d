/** Channel names shared by preload and main; a separate file so the preload bundle stays tiny. */
export const CALL_CHANNEL = 'kfd:call';
export const EVENT_CHANNEL = 'kfd:event';

/**
 * Desktop-only extras ride on the same `kfd:call` channel (one handler, one sender check) under
 * this reserved prefix; main answers them itself because the engine never touches Electron.
 */
export const DESKTOP_METHODS = {
  openExternal: 'desktop.openExternal',
  pickFolder: 'desktop.pickFolder',
} as const;

/** Theme decisions as pure functions (tested in node). */
import type { Settings } from '../../../engine/api/contract';

export type ThemeSetting = Settings['theme'];
export type ResolvedTheme = 'light' | 'dark';

export const THEME_CACHE_KEY = 'kfd.theme';
export const THEME_SETTINGS: readonly ThemeSetting[] = ['system', 'light', 'dark'];

export function resolveTheme(setting: ThemeSetting, systemPrefersDark: boolean): ResolvedTheme {
  if (setting === 'light' || setting === 'dark') return setting;
  return systemPrefersDark ? 'dark' : 'light';
}

/** A cached or stored value we do not recognise means "follow the system". */
export function parseThemeSetting(value: unknown): ThemeSetting {
  return THEME_SETTINGS.includes(value as ThemeSetting) ? (value as ThemeSetting) : 'system';
}

export function themeLabel(setting: ThemeSetting): string {
  return { system: 'System', light: 'Light', dark: 'Dark' }[setting];
}

/** The DOM side of theming: `<html data-theme>`, the localStorage cache, the system preference. */
import { parseThemeSetting, resolveTheme, THEME_CACHE_KEY, type ResolvedTheme, type ThemeSetting } from './theme';

const darkQuery = (): MediaQueryList | null =>
  typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

export function systemPrefersDark(): boolean {
  return darkQuery()?.matches ?? false;
}

export function readCachedTheme(): ThemeSetting {
  try {
    return parseThemeSetting(localStorage.getItem(THEME_CACHE_KEY));
  } catch {
    return 'system';
  }
}

export function cacheTheme(setting: ThemeSetting): void {
  try {
    localStorage.setItem(THEME_CACHE_KEY, setting);
  } catch {
    // Storage disabled: only the first paint of the next start is affected.
  }
}

export function applyTheme(setting: ThemeSetting): ResolvedTheme {
  const resolved = resolveTheme(setting, systemPrefersDark());
  const root = document.documentElement;
  root.dataset.theme = resolved;
  root.style.colorScheme = resolved;
  return resolved;
}

/** Calls back when the OS switches between light and dark. */
export function watchSystemTheme(onChange: () => void): () => void {
  const query = darkQuery();
  if (!query) return () => {};
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

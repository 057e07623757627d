import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi, useEngineStatus } from '../api/ApiProvider';
import { applyTheme, cacheTheme, readCachedTheme, watchSystemTheme } from './apply-theme';
import type { ResolvedTheme, ThemeSetting } from './theme';

interface ThemeContextValue {
  setting: ThemeSetting;
  resolved: ResolvedTheme;
  /** Applies at once and caches for the next first paint; saving to the engine is the caller's job. */
  setSetting(setting: ThemeSetting): void;
}

const ThemeContext = createContext<ThemeContextValue | null>(null);

export function ThemeProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { generation } = useEngineStatus(); // re-read after the engine comes back
  const [setting, setSettingState] = useState<ThemeSetting>(readCachedTheme);
  const [resolved, setResolved] = useState<ResolvedTheme>(() => applyTheme(readCachedTheme()));

  const setSetting = useCallback((next: ThemeSetting) => {
    cacheTheme(next);
    setSettingState(next);
    setResolved(applyTheme(next));
  }, []);

  // `system` follows the OS live.
  useEffect(() => watchSystemTheme(() => setResolved(applyTheme(setting))), [setting]);

  // The engine's stored setting wins over the cache; later changes (another window, the CLI) too.
  useEffect(() => {
    let alive = true;
    api
      .call('settings.get', {})
      .then((s) => alive && setSetting(s.theme))
      .catch(() => {
        // Engine unreachable: keep the cached theme; the page shows the error elsewhere.
      });
    const off = api.on('settings.changed', (s) => setSetting(s.theme));
    return () => {
      alive = false;
      off();
    };
  }, [api, setSetting, generation]);

  const value = useMemo(() => ({ setting, resolved, setSetting }), [setting, resolved, setSetting]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeContextValue {
  const ctx = useContext(ThemeContext);
  if (!ctx) throw new Error('useTheme must be used inside <ThemeProvider>');
  return ctx;
}

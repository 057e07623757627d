import { useEffect, useId, useState } from 'react';
import type { Settings } from '../../../engine/api/contract';
import { useApi } from '../api/ApiProvider';
import { errorText, fieldErrors } from '../api/client';
import { ClustersSection } from '../clusters/ClustersSection';
import { InlineError } from '../components/MessageText';
import { SettingField } from '../components/SettingField';
import { KfpRemoteSettings } from '../pipelines/KfpRemoteSettings';
import { THEME_SETTINGS, themeLabel, type ThemeSetting } from '../theme/theme';
import { useTheme } from '../theme/ThemeProvider';
import { AboutSection } from './AboutSection';
import { EnginePicker } from './EnginePicker';
import { ModelsSettings } from '../models/ModelsSettings';

type Loaded = { state: 'loading' } | { state: 'ok'; settings: Settings } | { state: 'error'; message: string };

export function SettingsPage() {
  const api = useApi();
  const theme = useTheme();
  const themeId = useId();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [themeError, setThemeError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.call('settings.get', {}).then(
      (settings) => alive && setLoaded({ state: 'ok', settings }),
      (err: unknown) => alive && setLoaded({ state: 'error', message: errorText(err) }),
    );
    const off = api.on('settings.changed', (settings) => setLoaded({ state: 'ok', settings }));
    return () => {
      alive = false;
      off();
    };
  }, [api]);

  /** Saves one field; rejects with the message for that field (the API's own words). */
  async function save(patch: Partial<Settings>): Promise<void> {
    try {
      const settings = await api.call('settings.update', patch);
      setLoaded({ state: 'ok', settings });
    } catch (err) {
      const field = Object.keys(patch)[0] ?? '';
      throw new Error(fieldErrors(err)[field] ?? errorText(err));
    }
  }

  function changeTheme(next: ThemeSetting): void {
    theme.setSetting(next); // instantly, and cached for the next start
    setThemeError(null);
    save({ theme: next }).catch((err: Error) => setThemeError(`Applied here, but not saved: ${err.message}`));
  }

  const settings = loaded.state === 'ok' ? loaded.settings : null;

  return (
    <div className="page page-settings" data-testid="page-settings">
      <section className="panel" aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">Appearance</h2>
        <div className="field">
          <label htmlFor={themeId}>Theme</label>
          <div className="field-row">
            <select
              id={themeId}
              className="input select"
              value={theme.setting}
              onChange={(e) => changeTheme(e.target.value as ThemeSetting)}
              aria-describedby={`${themeId}-msg`}
            >
              {THEME_SETTINGS.map((t) => (
                <option key={t} value={t}>
                  {themeLabel(t)}
                </option>
              ))}
            </select>
            <span id={`${themeId}-msg`} className="field-error" role="alert">
              {themeError ?? ''}
            </span>
          </div>
          <p className="field-help">System follows your operating system's light or dark mode.</p>
        </div>
      </section>

      <section className="panel" aria-labelledby="settings-runtimes">
        <h2 id="settings-runtimes">Runtimes</h2>
        {loaded.state === 'loading' ? <p className="muted">Loading settings…</p> : null}
        {loaded.state === 'error' ? (
          <InlineError prefix="Could not load settings" message={loaded.message} />
        ) : null}
        {settings ? (
          <>
            <SettingField
              label="Python interpreter"
              help="Used for jobs and notebooks. Leave empty to discover it (python3 on PATH)."
              placeholder="Discover (e.g. /usr/bin/python3)"
              value={settings.pythonPath}
              onSave={(pythonPath) => save({ pythonPath })}
            />
            <SettingField
              label="Container engine socket"
              help="Docker or Podman. Leave empty to discover it (DOCKER_HOST, docker.sock, podman.sock)."
              placeholder="Discover (e.g. unix:///var/run/docker.sock)"
              value={settings.containerSocket}
              onSave={(containerSocket) => save({ containerSocket })}
            />
            <EnginePicker setting={settings.containerSocket} onPick={(containerSocket) => save({ containerSocket })} />
          </>
        ) : null}
      </section>

      <ClustersSection />

      <KfpRemoteSettings />
      <ModelsSettings />

      <AboutSection />
    </div>
  );
}

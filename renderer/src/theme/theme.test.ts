import { describe, expect, it } from 'vitest';
import { parseThemeSetting, resolveTheme, themeLabel } from './theme';

describe('resolveTheme', () => {
  it('honours an explicit choice regardless of the system', () => {
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
  it('follows the system for "system"', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
  });
});

describe('parseThemeSetting', () => {
  it('accepts known values and falls back to system', () => {
    expect(parseThemeSetting('dark')).toBe('dark');
    expect(parseThemeSetting('light')).toBe('light');
    expect(parseThemeSetting('system')).toBe('system');
    expect(parseThemeSetting(null)).toBe('system');
    expect(parseThemeSetting('Dark')).toBe('system');
    expect(parseThemeSetting(undefined)).toBe('system');
  });
  it('labels settings for the select', () => {
    expect(themeLabel('system')).toBe('System');
  });
});

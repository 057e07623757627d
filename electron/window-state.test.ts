import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, MIN_SIZE, restoreWindowState, saveWindowState, WINDOW_STATE_FILE } from './window-state.js';

const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('restoreWindowState', () => {
  it('reuses saved bounds that are visible', () => {
    const saved = { bounds: { x: 100, y: 50, width: 1400, height: 900 }, maximized: true };
    expect(restoreWindowState(saved, screen)).toEqual(saved);
  });

  it('keeps the size but drops the position when the display is gone', () => {
    const saved = { bounds: { x: 3000, y: 50, width: 1400, height: 900 }, maximized: false };
    expect(restoreWindowState(saved, screen)).toEqual({ bounds: { width: 1400, height: 900 }, maximized: false });
  });

  it('works with a second display to the left (negative coordinates)', () => {
    const displays = [...screen, { x: -1280, y: 0, width: 1280, height: 1000 }];
    const saved = { bounds: { x: -1200, y: 10, width: 1000, height: 700 }, maximized: false };
    expect(restoreWindowState(saved, displays).bounds).toEqual(saved.bounds);
  });

  it('enforces the minimum size', () => {
    const saved = { bounds: { x: 10, y: 10, width: 10, height: 10 } };
    expect(restoreWindowState(saved, screen).bounds).toEqual({ x: 10, y: 10, ...MIN_SIZE });
  });

  it.each([null, 'x', 42, {}, { bounds: { x: 'a', y: 0, width: 1, height: 1 } }, { bounds: { x: NaN, y: 0, width: 900, height: 600 } }, { bounds: { x: 0, y: 0, width: 1e9, height: 600 } }])(
    'falls back to defaults for %j',
    (saved) => {
      expect(restoreWindowState(saved, screen)).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: false });
    },
  );
});

describe('load/saveWindowState', () => {
  it('round-trips through the data dir and tolerates a broken file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kfd-window-state-'));
    dirs.push(dir);
    expect(loadWindowState(dir)).toBeNull();
    const state = { bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false };
    saveWindowState(path.join(dir, 'nested'), state);
    expect(loadWindowState(path.join(dir, 'nested'))).toEqual(state);
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{not json');
    expect(loadWindowState(dir)).toBeNull();
    expect(readFileSync(path.join(dir, 'nested', WINDOW_STATE_FILE), 'utf8')).toContain('"maximized": false');
  });
});

import { describe, expect, it } from 'vitest';
import { jobHref, nextNavIndex, ownerHref, parseLocation, parseRoute, routeForShortcut, routeHref, routeTitle, shortcutLabel, shortcutRoute } from './routes';

describe('parseRoute', () => {
  it('defaults to jobs', () => {
    expect(parseRoute('')).toBe('jobs');
    expect(parseRoute('#')).toBe('jobs');
    expect(parseRoute('#/')).toBe('jobs');
  });
  it('reads the first path segment', () => {
    expect(parseRoute('#/doctor')).toBe('doctor');
    expect(parseRoute('#doctor')).toBe('doctor');
    expect(parseRoute('#/settings/')).toBe('settings');
    expect(parseRoute('#/Cluster?x=1')).toBe('cluster');
    expect(parseRoute('#/workspace/some/file.py')).toBe('workspace');
  });
  it('falls back to jobs for unknown pages', () => {
    expect(parseRoute('#/nope')).toBe('jobs');
    expect(parseRoute('#main-content')).toBe('jobs');
    expect(parseRoute('#/%E0%A4%A')).toBe('jobs');
  });
  it('round-trips with routeHref', () => {
    for (const id of ['jobs', 'workspace', 'notebooks', 'experiments', 'pipelines', 'models', 'cluster', 'doctor', 'settings'] as const) {
      expect(parseRoute(routeHref(id))).toBe(id);
    }
    expect(routeTitle('doctor')).toBe('Doctor');
  });
});

describe('parseLocation (sub-paths)', () => {
  it('has no sub-path for a page itself', () => {
    expect(parseLocation('#/jobs')).toEqual({ route: 'jobs', path: [] });
    expect(parseLocation('#/jobs/')).toEqual({ route: 'jobs', path: [] });
    expect(parseLocation('')).toEqual({ route: 'jobs', path: [] });
  });
  it('keeps the segments after the page, decoded and case kept', () => {
    expect(parseLocation('#/jobs/AbC-123')).toEqual({ route: 'jobs', path: ['AbC-123'] });
    expect(parseLocation('#/Jobs/a%2Fb?tab=logs')).toEqual({ route: 'jobs', path: ['a/b'] });
    expect(parseLocation('#/workspace/some//file.py')).toEqual({ route: 'workspace', path: ['some', 'file.py'] });
  });
  it('drops the sub-path of an unknown or malformed location', () => {
    expect(parseLocation('#/nope/abc')).toEqual({ route: 'jobs', path: [] });
    expect(parseLocation('#/jobs/%E0%A4%A')).toEqual({ route: 'jobs', path: [] });
  });
  it('round-trips job ids through jobHref', () => {
    for (const id of ['j-1', 'with space', 'a/b', 'ü?#%']) {
      expect(parseLocation(jobHref(id))).toEqual({ route: 'jobs', path: [id] });
      expect(parseRoute(jobHref(id))).toBe('jobs');
    }
    expect(jobHref('j 1')).toBe('#/jobs/j%201');
    expect(routeHref('jobs')).toBe('#/jobs');
  });
  it('links a job to what made it', () => {
    expect(ownerHref({ kind: 'experiment', id: 'e 1' })).toBe('#/experiments/e%201');
    expect(parseLocation(ownerHref({ kind: 'pipeline-run', id: 'r1' }))).toEqual({ route: 'pipelines', path: ['runs', 'r1'] });
    expect(parseLocation(ownerHref({ kind: 'model-server', id: 's1' }))).toEqual({ route: 'models', path: ['servers', 's1'] });
  });
});

describe('shortcuts and sidebar keys', () => {
  it('maps digits 1..9 to pages in sidebar order', () => {
    expect(routeForShortcut('1')).toBe('jobs');
    expect(routeForShortcut('4')).toBe('experiments');
    expect(routeForShortcut('8')).toBe('doctor');
    expect(routeForShortcut('9')).toBe('settings');
    expect(routeForShortcut('0')).toBeNull();
    expect(routeForShortcut('a')).toBeNull();
  });
  it('moves and wraps with arrows', () => {
    expect(nextNavIndex(0, 'ArrowDown', 6)).toBe(1);
    expect(nextNavIndex(5, 'ArrowDown', 6)).toBe(0);
    expect(nextNavIndex(0, 'ArrowUp', 6)).toBe(5);
    expect(nextNavIndex(-1, 'ArrowDown', 6)).toBe(0);
    expect(nextNavIndex(3, 'Home', 6)).toBe(0);
    expect(nextNavIndex(3, 'End', 6)).toBe(5);
    expect(nextNavIndex(3, 'Enter', 6)).toBeNull();
  });
});

describe('shortcutRoute', () => {
  const keys = { key: '8', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false };
  it('takes Ctrl everywhere and Cmd on a Mac', () => {
    expect(shortcutRoute({ ...keys, ctrlKey: true }, false)).toBe('doctor');
    expect(shortcutRoute({ ...keys, ctrlKey: true }, true)).toBe('doctor');
    expect(shortcutRoute({ ...keys, metaKey: true }, true)).toBe('doctor');
    expect(shortcutRoute({ ...keys, metaKey: true }, false)).toBeNull();
  });
  it('ignores plain digits and other modifiers', () => {
    expect(shortcutRoute(keys, false)).toBeNull();
    expect(shortcutRoute({ ...keys, ctrlKey: true, shiftKey: true }, false)).toBeNull();
    expect(shortcutRoute({ ...keys, ctrlKey: true, altKey: true }, false)).toBeNull();
  });
  it('labels shortcuts per platform', () => {
    expect(shortcutLabel('jobs', false)).toBe('Ctrl+1');
    expect(shortcutLabel('settings', true)).toBe('⌘9');
  });
});

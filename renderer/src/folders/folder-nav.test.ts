import { describe, expect, it } from 'vitest';
import { chosenPath, crumbs, homeRelative, pickFolderWith, typeAhead } from './folder-nav';

describe('folder browser navigation', () => {
  it('builds the breadcrumb from home', () => {
    expect(crumbs('/home/u', '/home/u')).toEqual([{ label: 'Home', path: '/home/u' }]);
    expect(crumbs('/home/u', '/home/u/exp/mnist')).toEqual([
      { label: 'Home', path: '/home/u' },
      { label: 'exp', path: '/home/u/exp' },
      { label: 'mnist', path: '/home/u/exp/mnist' },
    ]);
    expect(crumbs('/', '/tmp/x')).toEqual([{ label: 'Home', path: '/' }, { label: 'tmp', path: '/tmp' }, { label: 'x', path: '/tmp/x' }]);
  });

  it('finds by typing, and cycles with one repeated letter', () => {
    const names = ['alpha', 'Beta', 'bravo', 'charlie', 'run2', 'run10'];
    expect(typeAhead(names, 'b', -1)).toBe(1);
    expect(typeAhead(names, 'b', 1)).toBe(2); // the next b…
    expect(typeAhead(names, 'bb', 2)).toBe(1); // …and round again
    expect(typeAhead(names, 'run1', 4)).toBe(5);
    expect(typeAhead(names, 'ch', 0)).toBe(3);
    expect(typeAhead(names, 'zz', 3)).toBe(3); // nothing: stay
  });

  it('shows paths under home with ~', () => {
    expect(homeRelative('/home/u/exp/mnist', '/home/u')).toBe('~/exp/mnist');
    expect(homeRelative('/home/u', '/home/u/')).toBe('~');
    expect(homeRelative('/home/user2/x', '/home/u')).toBe('/home/user2/x');
  });

  it('chooses the highlighted folder, else the one shown', () => {
    const folders = [{ path: '/h/a' }, { path: '/h/b' }];
    expect(chosenPath('/h', folders, 1)).toBe('/h/b');
    expect(chosenPath('/h', folders, -1)).toBe('/h');
  });

  it('uses the desktop dialog when there is one, and the browser when there is none or it fails', async () => {
    const browse = async () => '/from/browser';
    expect(await pickFolderWith(async () => '/from/dialog', browse)).toBe('/from/dialog');
    expect(await pickFolderWith(async () => null, browse)).toBeNull(); // cancelled: no second dialog
    expect(await pickFolderWith(() => Promise.reject(new Error('no portal')), browse)).toBe('/from/browser');
    expect(await pickFolderWith(undefined, browse)).toBe('/from/browser');
  });
});

/** The folder browser's listing on a real disk: a temp home with folders, files, links and hidden folders. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/real-parts.js';
import { listFolders, underHome } from './folder-browser.js';

function home(): string {
  const h = makeTempDir('ws', 'home');
  for (const d of ['projects/run10', 'projects/run2', 'projects/Alpha', 'projects/beta', '.config', 'projects/.git']) fs.mkdirSync(path.join(h, d), { recursive: true });
  fs.writeFileSync(path.join(h, 'projects', 'notes.txt'), 'not a folder');
  const outside = makeTempDir('ws', 'outside');
  fs.symlinkSync(outside, path.join(h, 'projects', 'data-link'));
  fs.symlinkSync(path.join(h, 'nowhere'), path.join(h, 'projects', 'broken-link'));
  return h;
}

describe('folder browser', () => {
  it('starts at home; lists folders only, sorted as people read them, hidden ones on request', async () => {
    const h = home();
    const top = await listFolders({}, { HOME: h });
    expect(top).toEqual({ path: h, home: h, parent: null, folders: [{ name: 'projects', path: path.join(h, 'projects'), hidden: false }], truncated: false });
    const projects = await listFolders({ path: path.join(h, 'projects') }, { HOME: h });
    expect(projects.parent).toBe(h);
    expect(projects.folders.map((f) => f.name)).toEqual(['Alpha', 'beta', 'data-link', 'run2', 'run10']);
    const all = await listFolders({ path: path.join(h, 'projects'), showHidden: true }, { HOME: h });
    expect(all.folders.filter((f) => f.hidden).map((f) => f.name)).toEqual(['.git']);
    // A link in home that leads elsewhere is followed: it is the user's own shortcut.
    expect((await listFolders({ path: path.join(h, 'projects', 'data-link') }, { HOME: h })).parent).toBe(path.join(h, 'projects'));
  });

  it('refuses folders outside home, relative paths and files, each with what to do', async () => {
    const h = home();
    await expect(listFolders({ path: '/etc' }, { HOME: h })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('type /etc in the field instead') });
    await expect(listFolders({ path: path.join(h, '..') }, { HOME: h })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listFolders({ path: 'projects' }, { HOME: h })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(listFolders({ path: path.join(h, 'projects', 'notes.txt') }, { HOME: h })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('is not a folder') });
    expect(underHome(`${h}-other`, h)).toBe(false);
    expect(underHome(path.join(h, 'a', '..', 'b'), h)).toBe(true);
  });
});

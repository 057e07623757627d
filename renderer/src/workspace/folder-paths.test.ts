import { describe, expect, it } from 'vitest';
import { newFolderPath, parentDir, pathProblem } from './folder-paths';

describe('folder paths typed on the start screen', () => {
  it('accepts absolute paths only, and says what to type instead', () => {
    expect(pathProblem('/home/me/ws')).toBeNull();
    expect(pathProblem('C:\\Users\\me\\ws')).toBeNull();
    expect(pathProblem('')).toMatch(/full path/);
    expect(pathProblem('ws')).toMatch(/starting with \//);
    expect(pathProblem('~/ws')).toMatch(/not expanded/);
  });

  it('joins a parent and a name into the new folder', () => {
    expect(newFolderPath('/home/me/', 'ddp')).toEqual({ dir: '/home/me/ddp' });
    expect(newFolderPath('/', 'ddp')).toEqual({ dir: '/ddp' });
    expect(newFolderPath('/home/me', 'a/b')).toEqual({ problem: expect.stringMatching(/name/) });
    expect(newFolderPath('rel', 'ddp')).toEqual({ problem: expect.stringMatching(/full path/) });
  });

  it('finds the parent folder', () => {
    expect(parentDir('/home/me/ws/')).toBe('/home/me');
    expect(parentDir('/ws')).toBe('/');
  });
});

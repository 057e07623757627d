import { describe, expect, it } from 'vitest';
import { containerUser, installsSystemPackages, RANK_HOME, USER_ANNOTATION, type ContainerUserInput } from './container-user.js';

const base: ContainerUserInput = { annotations: undefined, rootlessEngine: false, imageUser: '', owner: { uid: 1000, gid: 1001 }, commands: [['python3', 'train.py']] };

describe('who a node container runs as', () => {
  it('rootful engine, root image, plain commands: the workspace owner, with a writable HOME', () => {
    expect(containerUser(base)).toEqual({ user: '1000:1001', home: RANK_HOME, why: 'the workspace owner' });
    expect(containerUser({ ...base, imageUser: 'root' }).user).toBe('1000:1001');
  });

  it('the image\'s own user where the job needs it, and the annotation over everything', () => {
    expect(containerUser({ ...base, rootlessEngine: true })).toMatchObject({ user: null, home: null, why: 'rootless engine: root in the container is the user outside' });
    expect(containerUser({ ...base, imageUser: 'jovyan' })).toMatchObject({ user: null, why: 'the image runs as jovyan' });
    expect(containerUser({ ...base, commands: [['bash', '-c', 'apt-get update && apt-get install -y git']] })).toMatchObject({ user: null, why: 'the commands install system packages, which needs root' });
    expect(containerUser({ ...base, owner: { uid: 0, gid: 0 } })).toMatchObject({ user: null, why: 'the workspace belongs to root' });
    expect(containerUser({ ...base, imageUser: 'jovyan', annotations: { [USER_ANNOTATION]: 'host' } }).user).toBe('1000:1001');
    expect(containerUser({ ...base, annotations: { [USER_ANNOTATION]: 'image' } }).user).toBeNull();
    expect(() => containerUser({ ...base, annotations: { [USER_ANNOTATION]: 'me' } })).toThrow(`metadata.annotations["${USER_ANNOTATION}"] is "me"; use "host" (run as the workspace owner) or "image" (the image's own user)`);
  });

  it('system package installs, not pip or words that look alike', () => {
    expect(installsSystemPackages([['bash', '-c', 'sudo apt install -y libgl1\npython3 train.py']])).toBe(true);
    expect(installsSystemPackages([['sh', '-c', 'apk add --no-cache git']])).toBe(true);
    expect(installsSystemPackages([['bash', '-c', 'pip install -r requirements.txt']])).toBe(false);
    expect(installsSystemPackages([['python3', 'train.py', '--adapt-install']])).toBe(false);
  });
});

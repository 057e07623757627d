import { describe, expect, it } from 'vitest';
import { jupyterDirs, LAUNCHER, redact, serverArgs, serverEnv, sessionPath, shouldRestart } from './server-launch.js';

describe('server launch', () => {
  it('binds loopback on the chosen port, no browser, and never puts the token on argv', () => {
    const args = serverArgs({ port: 4321, rootDir: '/', runningAsRoot: false });
    expect(args).toContain('--ServerApp.ip=127.0.0.1');
    expect(args).toContain('--ServerApp.port=4321');
    expect(args).toContain('--ServerApp.port_retries=0');
    expect(args).toContain('--ServerApp.open_browser=False');
    expect(args.filter((a) => a !== LAUNCHER).join(' ')).not.toMatch(/token/i); // the launcher reads it from its environment
    expect(args).not.toContain('--ServerApp.allow_root=True');
    expect(serverArgs({ port: 1, rootDir: '/', runningAsRoot: true })).toContain('--ServerApp.allow_root=True');
  });

  it('passes the token and our own Jupyter dirs by environment, keeping the user\'s kernelspecs visible', () => {
    const env = serverEnv({ PATH: '/bin', JUPYTER_CONFIG_PATH: '/evil', KFD_TOKEN: 'web', KFD_OTHER: 'x', JUPYTER_TOKEN_FILE: '/t' }, jupyterDirs('/d/jupyter'), 'sekret', '/home/u');
    expect(env).toMatchObject({
      PATH: '/bin',
      JUPYTER_TOKEN: 'sekret',
      JUPYTER_CONFIG_DIR: '/d/jupyter/config',
      JUPYTER_DATA_DIR: '/d/jupyter/data',
      JUPYTER_RUNTIME_DIR: '/d/jupyter/runtime',
      JUPYTER_PATH: '/home/u/.local/share/jupyter',
    });
    expect(env.JUPYTER_CONFIG_PATH).toBeUndefined();
    expect(env.KFD_TOKEN).toBeUndefined(); // the web-mode token does not leak into kernels
    expect(env.KFD_OTHER).toBeUndefined();
    expect(env.JUPYTER_TOKEN_FILE).toBeUndefined();
    // The launcher takes JUPYTER_TOKEN out of its environment before kernels inherit it.
    expect(serverArgs({ port: 1, rootDir: '/', runningAsRoot: false })[1]).toContain('os.environ.pop("JUPYTER_TOKEN"');
  });

  it('redacts the token from log text', () => {
    expect(redact('http://127.0.0.1:1/?token=abc and abc', 'abc')).toBe('http://127.0.0.1:1/?token=<token> and <token>');
  });

  it('restarts at most maxRestarts times within the window', () => {
    const crashes: number[] = [];
    const policy = { maxRestarts: 2, windowMs: 1000 };
    expect(shouldRestart(crashes, 0, policy)).toBe(true);
    expect(shouldRestart(crashes, 100, policy)).toBe(true);
    expect(shouldRestart(crashes, 200, policy)).toBe(false);
    expect(shouldRestart(crashes, 1500, policy)).toBe(true); // the first two are forgiven
  });

  it('gives kernels their notebook\'s folder through the session path', () => {
    expect(sessionPath('/', '/home/u/ws/nb.ipynb')).toBe('home/u/ws/nb.ipynb');
  });
});

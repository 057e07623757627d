import { describe, expect, it } from 'vitest';
import { userCodeEnv } from './user-code-env.js';

describe('the environment user code inherits', () => {
  it('keeps the user\'s variables and drops the app\'s (KFD_*) and any JUPYTER_TOKEN', () => {
    const env = userCodeEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      HTTPS_PROXY: 'http://proxy:3128',
      CUDA_VISIBLE_DEVICES: '0',
      KUBECONFIG: '/home/u/.kube/config',
      KFD_TOKEN: 'web',
      KFD_DATA_DIR: '/d',
      KFD_ANYTHING_ELSE: 'x',
      JUPYTER_TOKEN: 'j',
      UNSET: undefined,
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', HTTPS_PROXY: 'http://proxy:3128', CUDA_VISIBLE_DEVICES: '0', KUBECONFIG: '/home/u/.kube/config' });
  });
});

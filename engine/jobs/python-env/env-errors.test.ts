import { describe, expect, it } from 'vitest';
import { classifyPipFailure, pipError, venvError } from './env-errors.js';

// Verbatim output of pip 23 (Python 3.11) on this machine.
const UNREACHABLE = [
  'Looking in indexes: http://user:****@127.0.0.1:9/simple',
  "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7f0c5eb1fa90>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/kfd-missing/",
  'ERROR: Could not find a version that satisfies the requirement kfd-missing (from versions: none)',
  'ERROR: No matching distribution found for kfd-missing',
];
const NOT_IN_WHEELHOUSE = [
  'Looking in links: /tmp/wh',
  'ERROR: Could not find a version that satisfies the requirement kfdtiny==9 (from versions: 0.1)',
  'ERROR: No matching distribution found for kfdtiny==9',
];
// Debian bookworm's python3 without the python3-venv package.
const NO_ENSUREPIP = `The virtual environment was not successfully created because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python3.11-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.

Failing command: /tmp/x/bin/python3`.split('\n');

describe('classifyPipFailure', () => {
  it('sees an unreachable index behind "No matching distribution", without echoing credentials', () => {
    const f = classifyPipFailure(UNREACHABLE, false);
    expect(f).toEqual({ kind: 'index-unreachable', reason: 'Connection refused', indexes: ['http://127.0.0.1:9/simple'] });
  });

  it('recognises DNS failures and proxies', () => {
    const dns = "WARNING: Retrying ... NewConnectionError('<...>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')";
    expect(classifyPipFailure([dns], false)).toMatchObject({ kind: 'index-unreachable', reason: 'Temporary failure in name resolution' });
    expect(classifyPipFailure(["after connection broken by 'ProxyError('Cannot connect to proxy.')'"], false)).toMatchObject({ reason: 'ProxyError' });
  });

  it('names a requirement that does not exist, with the versions there are', () => {
    const f = classifyPipFailure(NOT_IN_WHEELHOUSE, true);
    expect(f).toEqual({ kind: 'not-found', requirements: ['kfdtiny==9'], available: { 'kfdtiny==9': '0.1' } });
    const err = pipError(f, { requirements: ['kfdtiny==9'], names: ['kfdtiny'], wheelhouse: '/tmp/wh', output: NOT_IN_WHEELHOUSE });
    expect(err.kind).toBe('not-found');
    expect(err.message).toBe(
      'No package matches kfdtiny==9 (available: 0.1) in the wheelhouse /tmp/wh (offline install). Add its wheel to /tmp/wh ' +
        '(`pip download -d /tmp/wh <requirement>` on a connected machine), or fix the name/version in requirements.txt or the kubeflow-desktop/packages annotation.',
    );
  });

  it('on the index, says where it looked and what else it could be', () => {
    const lines = ['ERROR: No matching distribution found for nunpy'];
    const err = pipError(classifyPipFailure(lines, false), { requirements: ['nunpy'], names: ['nunpy'], output: lines });
    expect(err.message).toMatch(/^No package matches nunpy on the package index\. Check the name and version .* KFD_WHEELHOUSE=<dir>/);
  });

  it('keeps the ERROR lines of any other failure', () => {
    const f = classifyPipFailure(['Collecting a', 'ERROR: Cannot install a and b because these package versions have conflicting dependencies.'], false);
    expect(f).toEqual({ kind: 'other', summary: 'ERROR: Cannot install a and b because these package versions have conflicting dependencies.' });
  });
});

describe('pipError for an unreachable index', () => {
  it('says the index could not be reached, names the requirements and every way out', () => {
    const err = pipError(classifyPipFailure(UNREACHABLE, false), { requirements: ['kfd-missing'], names: ['kfd-missing'], output: UNREACHABLE });
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^pip could not reach the package index \(http:\/\/127\.0\.0\.1:9\/simple\): Connection refused\. It was installing kfd-missing\./);
    expect(err.message).toContain('Connect to the network');
    expect(err.message).toContain('KFD_WHEELHOUSE=<dir>');
    expect(err.message).toContain('choose an interpreter that already has these packages');
  });
});

describe('venvError', () => {
  it('tells Debian users exactly which package to install', () => {
    const err = venvError('/usr/bin/python3', NO_ENSUREPIP);
    expect(err.kind).toBe('venv-unavailable');
    expect(err.message).toContain('sudo apt-get install python3-venv');
  });

  it('otherwise shows the last lines of what venv printed', () => {
    expect(venvError('/x/python', ['Error: [Errno 28] No space left on device']).message).toBe('/x/python -m venv failed:\nError: [Errno 28] No space left on device');
  });
});

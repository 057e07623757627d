import { describe, expect, it } from 'vitest';
import {
  collectRequirements,
  envKey,
  normaliseName,
  normaliseRequirement,
  parsePackagesAnnotation,
  parseRequirementsTxt,
  PACKAGES_ANNOTATION,
} from './requirements.js';

const PY = { version: '3.11.2', executable: '/usr/bin/python3.11' };
const lines = (r: { requirements: { line: string }[] }) => r.requirements.map((x) => x.line);

describe('normalisation', () => {
  it('folds names the PEP 503 way', () => {
    expect(normaliseName('Scikit_Learn')).toBe('scikit-learn');
    expect(normaliseName('zope.interface')).toBe('zope-interface');
    expect(normaliseName('a-_.b')).toBe('a-b');
  });

  it('normalises names, extras, versions, markers and hashes', () => {
    expect(normaliseRequirement('NumPy >= 1.24 , < 2')).toEqual({ name: 'numpy', line: 'numpy>=1.24,<2' });
    expect(normaliseRequirement('Requests[Socks, security]==2.31')).toEqual({ name: 'requests', line: 'requests[security,socks]==2.31' });
    expect(normaliseRequirement('torch>=2 ;  python_version  >= "3.9"')).toMatchObject({ line: 'torch>=2; python_version >= "3.9"' });
    expect(normaliseRequirement('pkg==1.0 --hash=sha256:BB --hash sha256:aa')).toMatchObject({ line: 'pkg==1.0 --hash=sha256:aa --hash=sha256:bb' });
    expect(normaliseRequirement('My.Pkg @ https://example.com/my_pkg-1.0-py3-none-any.whl')).toMatchObject({
      name: 'my-pkg',
      line: 'my-pkg @ https://example.com/my_pkg-1.0-py3-none-any.whl',
    });
  });

  it('says what is wrong with a line it does not accept', () => {
    expect(normaliseRequirement('numpy 1.2')).toEqual({ error: expect.stringContaining('expected versions like ==1.2') });
    expect(normaliseRequirement('./wheels/x.whl')).toEqual({ error: expect.stringContaining('KFD_WHEELHOUSE') });
    expect(normaliseRequirement('pkg --install-option=x')).toEqual({ error: expect.stringContaining('only --hash') });
  });
});

describe('requirements.txt', () => {
  it('ignores comments and blank lines, joins continuations, keeps URL fragments', () => {
    const text = '# deps\n\nnumpy>=1.24  # arrays\n  pandas \\\n  ==2.1\nfoo @ https://x/foo.whl#sha256=abc\n';
    const r = parseRequirementsTxt(text);
    expect(r.issues).toEqual([]);
    expect(lines(r)).toEqual(['numpy>=1.24', 'pandas==2.1', 'foo @ https://x/foo.whl#sha256=abc']);
  });

  it('rejects pip options with the line and what to do instead', () => {
    const text = 'numpy\n-r other.txt\n--index-url https://user:pw@example.com/simple\n-f /wheels\n-e .\n--pre\n';
    const r = parseRequirementsTxt(text);
    expect(lines(r)).toEqual(['numpy']);
    expect(r.issues.map((i) => i.line)).toEqual([2, 3, 4, 5, 6]);
    expect(r.issues[0]!.message).toMatch(/"-r" is a pip option.*copy the referenced requirements/);
    expect(r.issues[1]!.message).toMatch(/"--index-url".*PIP_INDEX_URL/);
    expect(r.issues[1]!.message).not.toContain('pw@'); // the credential is not echoed back
    expect(r.issues[2]!.message).toMatch(/"-f".*KFD_WHEELHOUSE/);
    expect(r.issues[3]!.message).toMatch(/editable installs are not supported/);
    expect(r.issues[4]!.message).toMatch(/PIP_<OPTION>/);
  });
});

describe('the kubeflow-desktop/packages annotation', () => {
  it('splits on commas and whitespace but keeps a specifier together', () => {
    const r = parsePackagesAnnotation('numpy >= 1.2, <2 pandas,scikit_learn==1.3  requests[socks, security]  tqdm');
    expect(r.issues).toEqual([]);
    expect(lines(r)).toEqual(['numpy>=1.2,<2', 'pandas', 'scikit-learn==1.3', 'requests[security,socks]', 'tqdm']);
  });

  it('sends markers and URLs to requirements.txt', () => {
    const r = parsePackagesAnnotation('x;python_version>"3"');
    expect(r.issues[0]!.message).toContain('put that requirement in requirements.txt');
  });
});

describe('collectRequirements + envKey', () => {
  it('no requirements → nothing to build', () => {
    expect(collectRequirements({ requirementsTxt: null, annotations: {} }).requirements).toEqual([]);
    expect(collectRequirements({ requirementsTxt: '# only a comment\n\n' }).requirements).toEqual([]);
  });

  it('merges the file and the annotation, de-duplicated and sorted', () => {
    const set = collectRequirements({ requirementsTxt: 'Pandas\nnumpy>=1\n', annotations: { [PACKAGES_ANNOTATION]: 'numpy >= 1, tqdm' } });
    expect(set.requirements).toEqual(['numpy>=1', 'pandas', 'tqdm']);
    expect(set.names).toEqual(['numpy', 'pandas', 'tqdm']);
  });

  it('is stable and insensitive to order, case and spacing', () => {
    const a = collectRequirements({ requirementsTxt: 'numpy>=1.24\nScikit_Learn==1.3\n' });
    const b = collectRequirements({ annotations: { [PACKAGES_ANNOTATION]: 'scikit-learn == 1.3, NumPy >= 1.24' } });
    const key = envKey({ requirements: a.requirements, python: PY, systemSitePackages: false });
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(envKey({ requirements: b.requirements, python: PY, systemSitePackages: false })).toBe(key);
    expect(envKey({ requirements: [...a.requirements].reverse(), python: PY, systemSitePackages: false })).toBe(key);
    // Pinned: a changed key orphans every existing env, so it must be deliberate (bump KEY_FORMAT).
    expect(key).toBe('ad9a187fd798e67c');
  });

  it('differs by interpreter version, interpreter file, and system site-packages', () => {
    const requirements = ['numpy'];
    const key = envKey({ requirements, python: PY, systemSitePackages: false });
    expect(envKey({ requirements, python: { ...PY, version: '3.11.7' }, systemSitePackages: false })).not.toBe(key);
    expect(envKey({ requirements, python: { ...PY, executable: '/opt/py/bin/python3.11' }, systemSitePackages: false })).not.toBe(key);
    expect(envKey({ requirements, python: PY, systemSitePackages: true })).not.toBe(key);
    expect(envKey({ requirements: ['numpy==1'], python: PY, systemSitePackages: false })).not.toBe(key);
  });
});

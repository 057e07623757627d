import { describe, expect, it } from 'vitest';
import { isTrainJobPath, languageForPath } from './languages';
import { issueMarkers, markerSpan, withoutLocation } from './markers';

describe('languageForPath', () => {
  it.each([
    ['train.py', 'python'],
    ['src/model.PY', 'python'],
    ['trainjob.yaml', 'yaml'],
    ['conf/x.yml', 'yaml'],
    ['explore.ipynb', 'json'],
    ['package.json', 'json'],
    ['README.md', 'markdown'],
    ['run.sh', 'shell'],
    ['.env', 'shell'],
    ['requirements.txt', 'plaintext'],
    ['Makefile', 'plaintext'],
    ['.gitignore', 'plaintext'],
  ])('%s → %s', (path, language) => {
    expect(languageForPath(path)).toBe(language);
  });

  it('knows a trainjob.yaml anywhere', () => {
    expect(isTrainJobPath('trainjob.yaml')).toBe(true);
    expect(isTrainJobPath('jobs/TrainJob.yml')).toBe(true);
    expect(isTrainJobPath('my-trainjob.yaml')).toBe(false);
  });
});

describe('markers', () => {
  it('drops the file:line:column prefix the editor shows by position', () => {
    expect(withoutLocation('trainjob.yaml:10:21 spec.trainer.numProcPerNode: expected a whole number')).toBe('spec.trainer.numProcPerNode: expected a whole number');
    expect(withoutLocation('trainjob.yaml the file is empty')).toBe('trainjob.yaml the file is empty');
  });

  it('underlines the value up to a trailing comment, or the whole line when the column is unknown', () => {
    expect(markerSpan('    numProcPerNode: two  # ranks', 21)).toEqual({ start: 21, end: 24 });
    expect(markerSpan('    image: "a # b"', 12)).toEqual({ start: 12, end: 19 });
    expect(markerSpan('  trainer:', 0)).toEqual({ start: 3, end: 11 });
    expect(markerSpan('', 0)).toEqual({ start: 1, end: 2 });
    expect(markerSpan('x: ', 3)).toEqual({ start: 3, end: 4 });
  });

  it('turns errors and warnings into markers on their lines', () => {
    const lines = ['kind: TrainJob', 'spec:', '  trainer:', '    numNodes: zero'];
    const markers = issueMarkers(
      {
        errors: [{ path: 'spec.trainer.numNodes', line: 4, column: 15, message: 'trainjob.yaml:4:15 spec.trainer.numNodes: expected a whole number ≥ 1, got "zero".' }],
        warnings: [{ path: 'spec.trainer.image', line: 0, column: 0, message: 'trainjob.yaml spec.trainer.image: not honoured' }],
      },
      (n) => lines[n - 1] ?? '',
    );
    expect(markers).toEqual([
      { severity: 'error', message: 'spec.trainer.numNodes: expected a whole number ≥ 1, got "zero".', line: 4, column: 15, endLine: 4, endColumn: 19 },
      { severity: 'warning', message: 'trainjob.yaml spec.trainer.image: not honoured', line: 1, column: 1, endLine: 1, endColumn: 15 },
    ]);
  });
});

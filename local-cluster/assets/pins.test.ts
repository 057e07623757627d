/** The app's add-on pins and the k8s test harness's must not drift: the harness tests what the app installs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JOBSET, TRAINER } from './pins.js';

const harness = (dir: string, file: string) => readFileSync(fileURLToPath(new URL(`../../e2e/k8s-harness/go/${dir}/${file}`, import.meta.url)), 'utf8');

describe('add-on pins', () => {
  it('match the harness wrappers\' go.mod and go.sum', () => {
    for (const [dir, pin] of [['trainer', TRAINER], ['jobset', JOBSET]] as const) {
      expect(harness(dir, 'go.mod')).toMatch(new RegExp(`${pin.module.replace(/\./g, '\\.')} ${pin.version}\\b`));
      expect(harness(dir, 'go.sum')).toContain(`${pin.module} ${pin.version} ${pin.h1}`);
    }
  });
});

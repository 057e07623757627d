/** `local` names the local-process backend wherever an API input (and so the CLI) names a backend. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methods } from '../contract.js';

const withBackend = Object.entries(methods).filter(([, m]) => m.input instanceof z.ZodObject && 'backend' in m.input.shape);

describe('backend names in API inputs', () => {
  it('covers every method that takes a backend', () => {
    expect(withBackend.map(([name]) => name).sort()).toEqual([
      'experiments.create',
      'jobs.run',
      'jobs.validate',
      'models.inferenceService',
      'models.serve',
      'notebooks.toJob',
      'pipelines.run',
      'workspace.validateJob',
    ]);
  });

  it.each(withBackend)('%s accepts local as the short name of local-process, and names the choices when wrong', (name, m) => {
    const backend = (m.input as z.ZodObject).shape.backend as z.ZodType;
    expect(backend.parse('local')).toBe('local-process');
    expect(backend.parse('local-process')).toBe('local-process');
    expect(backend.parse('container')).toBe('container');
    expect(backend.parse(undefined)).toBe('local-process');
    const wrong = backend.safeParse('docker');
    expect(wrong.success).toBe(false);
    // Model servers run on this machine only: processes or containers.
    const choices = name.startsWith('models.') ? /"local".*"local-process".*"container"/ : /"local".*"local-process".*"container".*"kubernetes"/;
    expect(wrong.error?.issues[0]?.message).toMatch(choices);
  });
});

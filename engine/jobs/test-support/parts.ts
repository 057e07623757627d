/**
 * Real parts the job tests need, and temp dirs removed when the test file ends. Locally a
 * missing part skips with a printed reason; under CI=true it is a failing test (DESIGN.md).
 */
import { makeTempDir, reportMissingPart } from '../../test-support/real-parts.js';
import { probePython } from './python.js';

export function requirePart(what: string, code: string): boolean {
  const reason = probePython(code);
  return reason ? reportMissingPart(what, reason) : true;
}
export const hasPython = () => requirePart('python3', 'import sys');
export const hasTorch = () => requirePart('torch + scikit-learn', 'import torch, sklearn');

/** A fresh temp dir, removed after the test file. */
export const tempDir = (prefix: string): string => makeTempDir('jobs', prefix);

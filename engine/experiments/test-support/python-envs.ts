/**
 * Managed venvs for the experiment tests (the suggestion process, the Kubeflow SDK), kept in one
 * folder across test runs so PyPI is asked once per machine: `KFD_TEST_PYTHON_ENVS`, else
 * `<tmpdir>/kfd-test-python-envs`. Envs are keyed by their requirements, as in the app.
 */
import os from 'node:os';
import path from 'node:path';

export function testEnvsDataDir(): string {
  return process.env.KFD_TEST_PYTHON_ENVS ?? path.join(os.tmpdir(), 'kfd-test-python-envs');
}

/** Python environments for jobs: the chosen interpreter, or a managed venv for the job's requirements. */
export { envsDirOf, prepareJobPython, REQUIREMENTS_TXT, type JobPython, type JobPythonInput } from './job-python.js';
export { ensureEnv, venvPython, type EnsureEnvOptions, type EnvProgress, type EnvStep, type PythonEnv } from './venv-manager.js';
export {
  chooseInterpreter,
  chooseWheelhouse,
  describeInterpreter,
  inspectPython,
  type InterpreterChoice,
  type PythonEnvSettings,
  type PythonInfo,
} from './choose-interpreter.js';
export { collectRequirements, envKey, normaliseRequirements, PACKAGES_ANNOTATION, SYSTEM_SITE_ANNOTATION, type RequirementSet } from './requirements.js';
export { PythonEnvError, type PythonEnvErrorKind } from './env-errors.js';

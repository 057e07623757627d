/** TrainJob manifests: parsing and validation, backend support, the rank env contract, torchrun commands. */
export { parseTrainJob } from './parse-trainjob.js';
export type { ParseTrainJobResult } from './parse-trainjob.js';
export { sourceOf } from './issues.js';
export type { Position, TrainJobIssue, TrainJobSource } from './issues.js';
export { requestedGpusPerNode, unsupportedFields } from './backend-support.js';
export type { Backend, BackendContext } from './backend-support.js';
export { CONTRACT_ENV_NAMES, DEFAULT_MASTER_PORT, launcherDefaults, nodeEnv, processEnv, processEnvs, resolveNumProcPerNode } from './env-contract.js';
export type { EnvContractInput, HostCapacity } from './env-contract.js';
export { parseTorchrunCommand, rankArgv } from './torchrun-command.js';
export type { Launcher, TorchrunCommand, TorchrunOptions } from './torchrun-command.js';
export { isNonNegativeQuantity, parseQuantity, quantityCeil } from './quantity.js';
export { GPU_RESOURCE, TORCH_RESERVED_ENV, TRAINJOB_API_VERSION, TRAINJOB_KIND, trainJobSchema } from './trainjob-schema.js';
export type { EnvVar, TrainJob, TrainJobSpec, Trainer } from './trainjob-schema.js';

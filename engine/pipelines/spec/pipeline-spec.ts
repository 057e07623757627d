/**
 * The parts of a compiled KFP v2 pipeline spec (PipelineSpec, schemaVersion 2.1.0, as `kfp` 2.x
 * writes it with `compiler.Compiler().compile`) that the local orchestrator reads. Field names are
 * the proto JSON names kfp's YAML uses (pipeline_spec.proto); unknown fields are kept and ignored.
 */

export type ParameterType = 'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN' | 'LIST' | 'STRUCT' | 'TASK_FINAL_STATUS' | 'TASK_CONFIG';

export interface ParameterSpec {
  parameterType?: ParameterType;
  defaultValue?: unknown;
  isOptional?: boolean;
  description?: string;
}

export interface ArtifactTypeSchema {
  schemaTitle?: string;
  schemaVersion?: string;
}

export interface ArtifactSpec {
  artifactType?: ArtifactTypeSchema;
  isArtifactList?: boolean;
  isOptional?: boolean;
  description?: string;
}

export interface IODefinitions {
  parameters?: Record<string, ParameterSpec>;
  artifacts?: Record<string, ArtifactSpec>;
}

export interface ParameterInput {
  componentInputParameter?: string;
  taskOutputParameter?: { producerTask: string; outputParameterKey: string };
  runtimeValue?: { constant?: unknown };
  taskFinalStatus?: { producerTask: string };
  parameterExpressionSelector?: string;
}

export interface ArtifactInput {
  componentInputArtifact?: string;
  taskOutputArtifact?: { producerTask: string; outputArtifactKey: string };
}

export interface TaskSpec {
  taskInfo?: { name?: string };
  componentRef: { name: string };
  dependentTasks?: string[];
  inputs?: { parameters?: Record<string, ParameterInput>; artifacts?: Record<string, ArtifactInput> };
  cachingOptions?: { enableCache?: boolean; cacheKey?: string };
  triggerPolicy?: { condition?: string; strategy?: 'TRIGGER_STRATEGY_UNSPECIFIED' | 'ALL_UPSTREAM_TASKS_SUCCEEDED' | 'ALL_UPSTREAM_TASKS_COMPLETED' };
  parameterIterator?: { itemInput: string; items: { raw?: string; inputParameter?: string } };
  artifactIterator?: { itemInput: string; items: { inputArtifact: string } };
  iteratorPolicy?: { parallelismLimit?: number };
  retryPolicy?: { maxRetryCount?: number; backoffDuration?: string; backoffFactor?: number; backoffMaxDuration?: string };
}

export interface DagOutputs {
  parameters?: Record<string, {
    valueFromParameter?: { producerSubtask: string; outputParameterKey: string };
    valueFromOneof?: { parameterSelectors: { producerSubtask: string; outputParameterKey: string }[] };
  }>;
  artifacts?: Record<string, { artifactSelectors: { producerSubtask: string; outputArtifactKey: string }[] }>;
}

export interface DagSpec {
  tasks?: Record<string, TaskSpec>;
  outputs?: DagOutputs;
}

export interface ComponentSpec {
  inputDefinitions?: IODefinitions;
  outputDefinitions?: IODefinitions;
  executorLabel?: string;
  dag?: DagSpec;
}

export interface ContainerResources {
  cpuLimit?: number;
  memoryLimit?: number;
  cpuRequest?: number;
  memoryRequest?: number;
  resourceCpuLimit?: string;
  resourceMemoryLimit?: string;
  resourceCpuRequest?: string;
  resourceMemoryRequest?: string;
  accelerator?: { type?: string; count?: string | number; resourceType?: string; resourceCount?: string };
}

export interface ContainerExecutor {
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  resources?: ContainerResources;
}

export interface ImporterExecutor {
  artifactUri?: { constant?: string; runtimeParameter?: string };
  typeSchema?: ArtifactTypeSchema;
  metadata?: Record<string, unknown>;
  reimport?: boolean;
}

export interface ExecutorSpec {
  container?: ContainerExecutor;
  importer?: ImporterExecutor;
  resolver?: unknown;
  customJob?: unknown;
}

export interface PipelineSpec {
  pipelineInfo: { name: string; displayName?: string; description?: string };
  root: ComponentSpec;
  components?: Record<string, ComponentSpec>;
  deploymentSpec?: { executors?: Record<string, ExecutorSpec> };
  schemaVersion: string;
  sdkVersion?: string;
  defaultPipelineRoot?: string;
}

/** A pipeline file as read: the spec, where it came from, and the platform section if any. */
export interface LoadedPipeline {
  spec: PipelineSpec;
  /** The YAML text of the PipelineSpec document (the first document). */
  text: string;
  file: string;
  /** kfp-kubernetes' PlatformSpec (second document), kept but not applied locally. */
  platformSpec: unknown;
  warnings: string[];
}

export const SUPPORTED_SCHEMA_VERSIONS = ['2.0.0', '2.1.0'];

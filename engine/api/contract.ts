/**
 * The one API contract. Every capability of the app is a method here (name → zod input/output)
 * or an event (name → zod payload). Electron IPC, web mode (HTTP + WebSocket) and the CLI all
 * go through `dispatch.ts` with these schemas, so the three transports cannot drift apart.
 * Each area keeps its shapes, methods and events in `schemas/<area>.ts`, spread in here.
 *
 * This file must stay free of Node imports: the renderer imports its *types*.
 */
import { z } from 'zod';
import { clusterEvents, clusterMethods } from './schemas/cluster.js';
import { experimentEvents, experimentMethods } from './schemas/experiments.js';
import { imageEvents, imageMethods } from './schemas/images.js';
import { jobEvents, jobMethods } from './schemas/jobs.js';
import { kubernetesEvents, kubernetesMethods } from './schemas/kubernetes.js';
import { modelEvents, modelMethods } from './schemas/models.js';
import { notebookEvents, notebookMethods } from './schemas/notebooks.js';
import { pipelineEvents, pipelineMethods } from './schemas/pipelines.js';
import { workspaceEvents, workspaceMethods } from './schemas/workspace.js';

export * from './schemas/cluster.js';
export * from './schemas/experiments.js';
export * from './schemas/images.js';
export * from './schemas/jobs.js';
export * from './schemas/kubernetes.js';
export * from './schemas/models.js';
export * from './schemas/notebooks.js';
export * from './schemas/pipelines.js';
export * from './schemas/workspace.js';

export const checkStatus = z.enum(['ok', 'warning', 'missing']);
export type CheckStatus = z.infer<typeof checkStatus>;

export const checkResult = z.object({
  id: z.string(),
  title: z.string(),
  status: checkStatus,
  detail: z.string(),
  /** The exact thing to do (a command or a setting); empty when nothing needs doing. */
  fix: z.string(),
});
export type CheckResult = z.infer<typeof checkResult>;

export const themeSetting = z.enum(['system', 'light', 'dark']);

export const settings = z.object({
  theme: themeSetting,
  /** Python interpreter used for jobs and notebooks; empty = discover. */
  pythonPath: z.string(),
  /** Container engine socket; empty = discover (DOCKER_HOST, docker.sock, podman.sock). */
  containerSocket: z.string(),
});
export type Settings = z.infer<typeof settings>;

const empty = z.object({}).strict();

export const methods = {
  version: {
    input: empty,
    output: z.object({ name: z.literal('kubeflow-desktop'), version: z.string() }),
  },
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      databasePath: z.string(),
      schemaVersion: z.number().int(),
      platform: z.string(),
      node: z.string(),
    }),
  },
  'doctor.run': {
    input: z.object({ ids: z.array(z.string()).optional() }).strict(),
    output: z.array(checkResult),
  },
  'doctor.list': {
    input: empty,
    output: z.array(z.object({ id: z.string(), title: z.string() })),
  },
  'settings.get': {
    input: empty,
    output: settings,
  },
  'settings.update': {
    input: settings.partial().strict(),
    output: settings,
  },
  ...jobMethods,
  ...imageMethods,
  ...workspaceMethods,
  ...notebookMethods,
  ...clusterMethods,
  ...kubernetesMethods,
  ...pipelineMethods,
  ...experimentMethods,
  ...modelMethods,
} as const;

export const events = {
  /** One doctor check finished (the UI fills rows in as they arrive). */
  'doctor.checkFinished': checkResult,
  'settings.changed': settings,
  ...jobEvents,
  ...imageEvents,
  ...workspaceEvents,
  ...notebookEvents,
  ...clusterEvents,
  ...kubernetesEvents,
  ...pipelineEvents,
  ...experimentEvents,
  ...modelEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const errorCode = z.enum([
  'bad_request', // input failed validation
  'not_found', // unknown method or object
  'unauthorized',
  'forbidden',
  'conflict',
  'unavailable', // a real part (Docker, Jupyter, cluster) cannot be reached
  'cancelled',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCode>;

export const apiError = z.object({
  code: errorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiErrorBody = z.infer<typeof apiError>;

/** Every transport answers with exactly one of these. */
export type Envelope<T> = { result: T } | { error: ApiErrorBody };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** The bridge Electron's preload puts on `window.kfd` (and the web client mimics). */
export interface KfdBridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /** Desktop-only extras are optional so the same renderer runs in a browser. */
  desktop?: { openExternal?(url: string): Promise<void>; pickFolder?(): Promise<string | null> };
}

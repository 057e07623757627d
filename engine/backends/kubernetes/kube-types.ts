/**
 * The parts of Kubernetes objects the backend reads, as plain JSON (what watch events and list
 * answers carry). Narrower than @kubernetes/client-node's model classes on purpose: the pure
 * decisions are tested with JSON fixtures, and the watch hands us JSON anyway.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface TrainJobJobStatus {
  name: string;
  ready?: number;
  succeeded?: number;
  failed?: number;
  active?: number;
  suspended?: number;
}

export interface TrainJobObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[]; jobsStatus?: TrainJobJobStatus[] };
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; signal?: number };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodObject {
  metadata: ObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: { name: string; image?: string; resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }[];
    initContainers?: { name: string; image?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: string;
  };
}

export interface EventObject {
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; uid?: string; namespace?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
}

/** Watch and list answers carry RFC 3339 strings; client-node's typed calls give Date objects. */
export function timeOf(value: string | Date | null | undefined): number | null {
  if (!value) return null;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

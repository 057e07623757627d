/**
 * Why a pod is not running yet, in one sentence a user can act on: the scheduler cannot place it
 * (often: no node has the GPUs it asks for), its image cannot be pulled, a volume cannot be
 * mounted, its configuration refers to something missing. Pure: the pod and its events in.
 */
import type { ContainerStatus, EventObject, PodObject } from './kube-types.js';
import { timeOf } from './kube-types.js';

const GPU = 'nvidia.com/gpu';

function gpusAsked(pod: PodObject): number {
  let n = 0;
  for (const c of pod.spec?.containers ?? []) n += Number(c.resources?.limits?.[GPU] ?? c.resources?.requests?.[GPU] ?? 0) || 0;
  return n;
}

function waitingReason(statuses: ContainerStatus[] | undefined, pod: PodObject, init: boolean): string | null {
  for (const s of statuses ?? []) {
    const w = s.state?.waiting;
    if (!w?.reason) continue;
    const who = `${init ? 'init container' : 'container'} ${s.name}`;
    const image = s.image ?? (init ? pod.spec?.initContainers : pod.spec?.containers)?.find((c) => c.name === s.name)?.image ?? '?';
    const detail = w.message ? `: ${w.message}` : '';
    switch (w.reason) {
      case 'ErrImagePull':
      case 'ImagePullBackOff':
      case 'InvalidImageName':
      case 'ErrImageNeverPull':
        return `cannot pull image ${image} for ${who} (${w.reason})${detail}. Check the image name, that the cluster can reach its registry, and imagePullSecrets.`;
      case 'CreateContainerConfigError':
      case 'CreateContainerError':
        return `${who} cannot be created (${w.reason})${detail}.`;
      case 'CrashLoopBackOff':
        return `${who} keeps crashing and is restarted with back-off${detail}; its log shows why.`;
      case 'ContainerCreating':
      case 'PodInitializing':
        continue; // events say more (volumes, sandbox); see below
      default:
        return `${who} is waiting: ${w.reason}${detail}.`;
    }
  }
  return null;
}

/** Events about this pod, newest first. */
function podEvents(pod: PodObject, events: readonly EventObject[]): EventObject[] {
  return events
    .filter((e) => e.involvedObject.kind === 'Pod' && (e.involvedObject.uid ? e.involvedObject.uid === pod.metadata.uid : e.involvedObject.name === pod.metadata.name))
    .sort((a, b) => (eventTime(b) ?? 0) - (eventTime(a) ?? 0));
}

export function eventTime(e: EventObject): number | null {
  return timeOf(e.lastTimestamp) ?? timeOf(e.series?.lastObservedTime) ?? timeOf(e.eventTime) ?? timeOf(e.firstTimestamp) ?? timeOf(e.metadata.creationTimestamp);
}

/** The sentence for a pod that is Pending (null when it is not pending or nothing is known yet). */
export function pendingReason(pod: PodObject, events: readonly EventObject[] = []): string | null {
  const phase = pod.status?.phase ?? 'Pending';
  if (phase !== 'Pending') return null;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    const msg = scheduled.message ?? '';
    if (msg.includes(`Insufficient ${GPU}`)) {
      const asked = gpusAsked(pod);
      return `waiting for GPUs: no node has ${asked || 'the requested'} free ${GPU} (${msg.trim()}).`;
    }
    if (scheduled.reason === 'SchedulingGated') return `held by a scheduling gate (${msg.trim() || 'e.g. a queue admits it later'}).`;
    return `cannot be scheduled yet: ${msg.trim() || scheduled.reason || 'no node fits'}.`;
  }
  const waiting = waitingReason(pod.status?.initContainerStatuses, pod, true) ?? waitingReason(pod.status?.containerStatuses, pod, false);
  if (waiting) return waiting;
  const recent = podEvents(pod, events);
  const warn = recent.find((e) => e.type === 'Warning');
  if (warn) {
    if (warn.reason === 'FailedMount' || warn.reason === 'FailedAttachVolume') return `a volume cannot be mounted yet (${warn.reason}): ${warn.message ?? ''}`.trim();
    if (warn.reason === 'FailedScheduling') return `cannot be scheduled yet: ${warn.message ?? ''}`.trim();
    return `${warn.reason ?? 'Warning'}: ${warn.message ?? ''}`.trim();
  }
  const pulling = recent.find((e) => e.reason === 'Pulling');
  if (pulling) return `pulling the image (${pulling.message ?? ''}).`;
  if (!pod.spec?.nodeName) return 'waiting to be scheduled.';
  return `starting on node ${pod.spec.nodeName}.`;
}

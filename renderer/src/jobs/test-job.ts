/** A job summary for unit tests: sensible defaults, override what the test is about. */
import type { JobSummary } from '../../../engine/api/contract';

export function job(over: Partial<JobSummary> & { id: string }): JobSummary {
  return {
    name: over.id,
    workspace: '/home/me/ws',
    backend: 'local-process',
    target: 'local',
    status: 'Complete',
    reason: null,
    message: null,
    exitCode: 0,
    numNodes: 1,
    numProcPerNode: 1,
    createdAt: 1000,
    startedAt: 1000,
    finishedAt: 2000,
    parentId: null,
    owner: null,
    ...over,
  };
}

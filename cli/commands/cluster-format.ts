/** How `kfd cluster …` prints operations: one line per step change, the failure with its step and fix. Pure. */
import type { ClusterInfo, ClusterOperation, ClusterStep } from '../../engine/api/contract.js';

const MARK: Record<ClusterStep['status'], string> = { pending: ' ', running: '•', done: '✓', failed: '✗', skipped: '-', cancelled: '✗' };

/** "[4/15] • Create the kind nodes: Starting control-plane" — the line for a step's current state. */
export function stepLine(op: ClusterOperation, step: ClusterStep): string {
  const n = op.steps.indexOf(step) + 1;
  const detail = step.detail ? `: ${step.detail}` : '';
  return `[${n}/${op.steps.length}] ${MARK[step.status]} ${step.title}${detail}`;
}

/** Lines to print going from `prev` to `next` (new step states only, so a log stays readable). */
export function progressLines(prev: ClusterOperation | null, next: ClusterOperation): string[] {
  const out: string[] = [];
  for (const s of next.steps) {
    const before = prev?.steps.find((p) => p.id === s.id);
    if (s.status === 'pending') continue;
    if (!before || before.status !== s.status || before.detail !== s.detail) out.push(stepLine(next, s));
  }
  return out;
}

export function failureText(op: ClusterOperation): string {
  if (!op.error) return '';
  const lines = [op.error.stepTitle ? `${op.kind} failed at step "${op.error.stepTitle}": ${op.error.message}` : `${op.kind} failed: ${op.error.message}`];
  if (op.error.fix) lines.push(`fix: ${op.error.fix}`);
  if (op.error.details.lastCommand) lines.push(`last command: ${op.error.details.lastCommand}`);
  return lines.join('\n') + '\n';
}

export function formatClusters(clusters: ClusterInfo[]): string {
  if (!clusters.length) return 'No local cluster. Create one with `kfd cluster create`.\n';
  return (
    clusters
      .map((c) => {
        const nodes = c.nodes.map((n) => `${n.name} (${n.state})`).join(', ') || 'no nodes';
        const extra = [c.gpus ? `${c.gpus} GPU(s)` : 'no GPUs', c.workspaceRoot ? `workspace ${c.workspaceRoot}` : null, c.recorded ? null : 'not created by this app'].filter(Boolean).join(', ');
        return `${c.name}  ${c.state}  context ${c.context}\n  nodes: ${nodes}\n  ${extra}\n  kubeconfig: ${c.kubeconfigPath}`;
      })
      .join('\n') + '\n'
  );
}

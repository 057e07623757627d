/** Finds a task of the spec from its path in a run (`exit-handler-1/for-loop-2[0]/train`). Pure. */
import type { StartRequest } from './dag-evaluator.js';
import type { TaskIO } from './executor-input.js';
import type { ComponentSpec, PipelineSpec } from '../spec/pipeline-spec.js';

export function taskAt(spec: PipelineSpec, taskPath: string, inputs: TaskIO): StartRequest | null {
  let comp: ComponentSpec = spec.root;
  const segments = taskPath.split('/');
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i]!.replace(/\[\d+\]$/, '');
    const task = comp.dag?.tasks?.[key];
    if (!task) return null;
    const componentName = task.componentRef.name;
    const next = spec.components?.[componentName];
    if (!next) return null;
    if (i === segments.length - 1) {
      const executor = next.executorLabel ? spec.deploymentSpec?.executors?.[next.executorLabel] : undefined;
      if (!executor) return null;
      return { path: taskPath, name: task.taskInfo?.name ?? key, componentName, component: next, executorLabel: next.executorLabel!, executor, task, inputs };
    }
    comp = next;
  }
  return null;
}

/** How a job names what made it (an experiment's trial, a pipeline run's task, a model server). Pure. */
import type { JobOwner } from '../../../engine/api/contract';

const KIND_WORDS: Record<JobOwner['kind'], { noun: string; role: string }> = {
  experiment: { noun: 'experiment', role: 'trial' },
  'pipeline-run': { noun: 'pipeline run', role: 'task' },
  'model-server': { noun: 'model server', role: 'server' },
};

/** "trial t-3 of experiment e1", "task train of pipeline run r1". */
export function ownerLabel(owner: JobOwner): string {
  const words = KIND_WORDS[owner.kind];
  return owner.role ? `${words.role} ${owner.role} of ${words.noun} ${owner.id}` : `${words.noun} ${owner.id}`;
}

/** The fact's name on the job page: "Experiment", "Pipeline run", "Model server". */
export function ownerTitle(owner: JobOwner): string {
  const noun = KIND_WORDS[owner.kind].noun;
  return noun.charAt(0).toUpperCase() + noun.slice(1);
}

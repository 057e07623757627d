/**
 * What each TrainJob field means, for hovers in the editor. The schema's own meta says what
 * value is expected; these say why the field is there and how each backend treats it.
 * Keyed by JSON-schema path ("spec.trainer.numNodes"); `[]` stands for any list item.
 */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  apiVersion: 'The API group and version of a Kubeflow Trainer v2 TrainJob.',
  kind: 'Always TrainJob. (A ClusterTrainingRuntime defines a runtime; a TrainJob uses one.)',
  metadata: 'The job\'s name and, on a cluster, its namespace, labels and annotations.',
  'metadata.name': 'The job\'s name: shown in the Jobs list, and the TrainJob\'s name on a cluster.',
  'metadata.namespace': 'Kubernetes namespace on a cluster; ignored by the local backends.',
  'metadata.labels': 'Kubernetes labels (e.g. `kueue.x-k8s.io/queue-name`).',
  'metadata.annotations': 'Kubernetes annotations. `kubeflow-desktop/packages` adds pip requirements to the managed Python environment (with requirements.txt).',
  spec: 'What to run (trainer), on which runtime (runtimeRef), with what data and model (initializer).',
  'spec.runtimeRef': 'The (Cluster)TrainingRuntime that supplies the job\'s template: launcher, default image, ML policy.',
  'spec.runtimeRef.name': 'The runtime\'s name. `torch-distributed` runs everywhere; others need a cluster that has them.',
  'spec.runtimeRef.kind': 'ClusterTrainingRuntime (cluster-wide, the default) or TrainingRuntime (in the job\'s namespace).',
  'spec.runtimeRef.apiGroup': 'Leave it out; it defaults to trainer.kubeflow.org.',
  'spec.initializer': 'Downloads a dataset and/or model before training (cluster only).',
  'spec.trainer': 'The training processes: command, image, how many nodes and processes per node, resources.',
  'spec.trainer.image': 'Container image for the container and Kubernetes backends. Local processes use this machine\'s Python instead.',
  'spec.trainer.command': 'The entrypoint, e.g. `["python3", "train.py"]`. Runs in the workspace folder (locally) or /workspace (containers).',
  'spec.trainer.args': 'Arguments appended to the command.',
  'spec.trainer.env': 'Environment variables for every rank. RANK, WORLD_SIZE, MASTER_ADDR … are set by the backend.',
  'spec.trainer.numNodes': 'Number of nodes: host process groups locally, containers with the container backend, pods on a cluster.',
  'spec.trainer.numProcPerNode': 'Processes (ranks) per node; WORLD_SIZE = numNodes × numProcPerNode.',
  'spec.trainer.resourcesPerNode': 'CPU, memory and GPU limits/requests per node. `nvidia.com/gpu` requests GPUs.',
  'spec.labels': 'Labels added to the JobSet and its pods on a cluster.',
  'spec.annotations': 'Annotations added to the JobSet and its pods on a cluster.',
  'spec.podSpecOverrides': 'Trainer v2.0: per-job pod spec overrides (cluster only).',
  'spec.podTemplateOverrides': 'Trainer v2.1: pod template overrides for selected replicated jobs (cluster only).',
  'spec.runtimePatches': 'Trainer v2.2+: patches to the runtime spec, each owned by a manager (cluster only).',
  'spec.suspend': 'Create the job suspended (cluster only; Kueue uses this).',
  'spec.activeDeadlineSeconds': 'Fail the job after this many seconds of running.',
  'spec.managedBy': 'Which controller reconciles the job; leave it out unless Kueue MultiKueue manages it.',
};

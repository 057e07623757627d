/** A small valid Experiment for tests, with overrides spliced in as YAML text. No vitest import: bench uses it too. */
export function experimentYaml(o: { name?: string; algorithm?: string; settings?: string; parameters?: string; extraSpec?: string; command?: string; maxTrialCount?: number; parallel?: number; objective?: string } = {}): string {
  return `apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata:
  name: ${o.name ?? 'digits-tune'}
spec:
  objective:
${o.objective ?? `    type: maximize
    objectiveMetricName: accuracy`}
  algorithm:
    algorithmName: ${o.algorithm ?? 'random'}
${o.settings ?? `    algorithmSettings:
      - name: random_state
        value: "7"`}
  parallelTrialCount: ${o.parallel ?? 2}
  maxTrialCount: ${o.maxTrialCount ?? 4}
  parameters:
${o.parameters ?? `    - name: lr
      parameterType: double
      feasibleSpace: {min: "0.001", max: "0.1", distribution: logUniform}
    - name: alpha
      parameterType: double
      feasibleSpace: {min: "0.0", max: "1.0", step: "0.25"}
    - name: layers
      parameterType: int
      feasibleSpace: {min: "1", max: "4"}
    - name: optimizer
      parameterType: categorical
      feasibleSpace: {list: ["sgd", "adam"]}`}
${o.extraSpec ?? ''}
  trialTemplate:
    primaryContainerName: node
    trialParameters:
      - {name: lr, reference: lr}
      - {name: alpha, reference: alpha}
      - {name: layers, reference: layers}
      - {name: optimizer, reference: optimizer}
    trialSpec:
      apiVersion: trainer.kubeflow.org/v1alpha1
      kind: TrainJob
      spec:
        runtimeRef:
          name: torch-distributed
        trainer:
          command: ${o.command ?? `["python3", "train.py"]`}
          numProcPerNode: 1
          args: ["--lr=\${trialParameters.lr}", "--alpha=\${trialParameters.alpha}", "--layers=\${trialParameters.layers}"]
          env:
            - name: OPTIMIZER
              value: "\${trialParameters.optimizer}"
`;
}

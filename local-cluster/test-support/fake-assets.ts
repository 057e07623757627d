/**
 * Small stand-ins for the rendered manifests, in the same shapes as upstream's (a Deployment in
 * kubeflow-system, CRDs, the torch runtime), written through the asset store as prepare would.
 * The real rendered manifests are tested in render-manifests.test.ts and on the harness.
 */
import { stringifyDocs } from '../addons/manifests.js';
import { writeAssets, writeManifest, type AssetsRecord } from '../assets/asset-store.js';
import { defaultNodeImage } from '../node-images.js';

export const FAKE_IMAGES = { jobset: 'example.invalid/jobset:v0.12.0', trainer: 'example.invalid/trainer:v2.3.0', runtime: 'example.invalid/torch:2', plugin: 'example.invalid/device-plugin:v0.17.1' };

const deployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'kubeflow-system' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'manager', image }] } } },
});

export function writeFakeAssets(dataDir: string, opts: { devicePlugin?: boolean } = {}): AssetsRecord {
  const manifests: AssetsRecord['manifests'] = {
    jobset: writeManifest(dataDir, 'jobset', stringifyDocs([deployment('jobset-controller-manager', FAKE_IMAGES.jobset)])),
    trainer: writeManifest(
      dataDir,
      'trainer',
      stringifyDocs([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubeflow-system' } },
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'trainjobs.trainer.kubeflow.org' } },
        deployment('kubeflow-trainer-controller-manager', FAKE_IMAGES.trainer),
      ]),
    ),
    runtimes: writeManifest(
      dataDir,
      'runtimes',
      stringifyDocs([
        {
          apiVersion: 'trainer.kubeflow.org/v1alpha1',
          kind: 'ClusterTrainingRuntime',
          metadata: { name: 'torch-distributed' },
          spec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: { spec: { containers: [{ name: 'node', image: FAKE_IMAGES.runtime }] } } } } }] } } },
        },
      ]),
    ),
  };
  if (opts.devicePlugin) {
    manifests['device-plugin'] = writeManifest(
      dataDir,
      'device-plugin',
      stringifyDocs([{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'nvidia-device-plugin-daemonset', namespace: 'kube-system' }, spec: { template: { spec: { containers: [{ name: 'plugin', image: FAKE_IMAGES.plugin }] } } } }]),
    );
  }
  const nodeImage = defaultNodeImage('v0.30.0')!;
  const record: AssetsRecord = {
    version: 1,
    preparedAt: 1,
    kindVersion: 'v0.30.0',
    nodeImage,
    modules: [],
    manifests,
    images: [
      { ref: nodeImage, role: 'node', id: null, error: null },
      { ref: FAKE_IMAGES.jobset, role: 'jobset', id: null, error: null },
      { ref: FAKE_IMAGES.trainer, role: 'trainer', id: null, error: null },
      { ref: FAKE_IMAGES.runtime, role: 'runtime', id: null, error: null },
      ...(opts.devicePlugin ? [{ ref: FAKE_IMAGES.plugin, role: 'device-plugin' as const, id: null, error: null }] : []),
    ],
    problems: [],
  };
  writeAssets(dataDir, record);
  return record;
}

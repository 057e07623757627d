/**
 * The deployment file: a KServe `serving.kserve.io/v1beta1` InferenceService, written so the
 * same file applies to a cluster with KServe. Locally its `predictor.model` (format, storageUri)
 * decides what the V2 server loads. Pure: build, read back, and check what a cluster can use.
 */
import { parseDocument, stringify } from 'yaml';
import type { ModelFormat } from '../api/schemas/models.js';

export const ISVC_API_VERSION = 'serving.kserve.io/v1beta1';
export const ISVC_KIND = 'InferenceService';
/** Annotations that tie the file back to the local registry. */
export const MODEL_VERSION_ANNOTATION = 'kubeflow-desktop/model-version';
export const SERVING_IMAGE_ANNOTATION = 'kubeflow-desktop/serving-image';

export interface InferenceService {
  apiVersion: typeof ISVC_API_VERSION;
  kind: typeof ISVC_KIND;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    predictor: {
      model: {
        modelFormat: { name: string; version?: string };
        protocolVersion?: string;
        runtime?: string;
        storageUri: string;
      };
      [k: string]: unknown;
    };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** An InferenceService name: a DNS-1035 label (KServe's webhook rule), at most 45 characters so the predictor's service names fit. */
export function isvcName(model: string, version: string): string {
  const base = `${model}-${version}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return (base || 'model').slice(0, 45).replace(/-+$/, '');
}

export function buildInferenceService(input: {
  model: string;
  version: string;
  format: ModelFormat;
  formatVersion: string;
  storageUri: string;
  servingImage?: string | undefined;
}): InferenceService {
  const annotations: Record<string, string> = { [MODEL_VERSION_ANNOTATION]: `${input.model}:${input.version}` };
  if (input.servingImage) annotations[SERVING_IMAGE_ANNOTATION] = input.servingImage;
  return {
    apiVersion: ISVC_API_VERSION,
    kind: ISVC_KIND,
    metadata: { name: isvcName(input.model, input.version), annotations },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: input.format, ...(input.formatVersion ? { version: input.formatVersion } : {}) },
          // The Open Inference Protocol (V2), as the local server speaks it.
          protocolVersion: 'v2',
          storageUri: input.storageUri,
        },
      },
    },
  };
}

export function inferenceServiceYaml(isvc: InferenceService, comment?: string): string {
  const head = comment ? comment.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n' : '';
  return head + stringify(isvc, { lineWidth: 0 });
}

/** Reads an InferenceService file; throws a message naming the field that is wrong. */
export function parseInferenceService(text: string, file = 'inferenceservice.yaml'): InferenceService {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${file}: not valid YAML: ${doc.errors[0]!.message}`);
  const obj = doc.toJS() as Partial<InferenceService> | null;
  if (!obj || typeof obj !== 'object') throw new Error(`${file}: empty; expected an ${ISVC_KIND}.`);
  if (obj.kind !== ISVC_KIND) throw new Error(`${file}: kind is ${JSON.stringify(obj.kind)}; expected ${ISVC_KIND}.`);
  if (obj.apiVersion !== ISVC_API_VERSION) throw new Error(`${file}: apiVersion is ${JSON.stringify(obj.apiVersion)}; expected ${ISVC_API_VERSION}.`);
  const name = obj.metadata?.name;
  if (!name || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new Error(`${file}: metadata.name ${JSON.stringify(name)} must be a DNS-1035 label (lower-case letters, digits, "-", starting with a letter).`);
  const model = obj.spec?.predictor?.model;
  if (!model) throw new Error(`${file}: spec.predictor.model is missing; it names the model format and its storageUri.`);
  if (!model.modelFormat?.name) throw new Error(`${file}: spec.predictor.model.modelFormat.name is missing (e.g. sklearn).`);
  if (!model.storageUri) throw new Error(`${file}: spec.predictor.model.storageUri is missing (where the model files are).`);
  return obj as InferenceService;
}

/** Why a cluster cannot read this storageUri, or null when it can (s3, gs, pvc, oci, http(s), hdfs, azure). */
export function clusterStorageProblem(storageUri: string): string | null {
  if (/^(s3|gs|pvc|oci|https?|hdfs|webhdfs|hf):\/\//.test(storageUri) || /^https:\/\/[^/]+\.blob\.core\.windows\.net\//.test(storageUri)) return null;
  if (storageUri.startsWith('file://') || storageUri.startsWith('/')) {
    return `storageUri ${storageUri} is a folder on this machine; a cluster cannot read it. Upload that folder to storage the cluster reads (s3://, gs://, a PVC as pvc://<claim>/<path>, or an OCI image as oci://) and give its uri (--storage-uri).`;
  }
  return `storageUri ${storageUri} has a scheme KServe's storage initializer does not read; use s3://, gs://, pvc://, oci://, https:// or hdfs://.`;
}

/** The same InferenceService with another storageUri and namespace (what promote applies). */
export function forCluster(isvc: InferenceService, opts: { storageUri?: string | undefined; namespace: string }): InferenceService {
  const copy = structuredClone(isvc);
  copy.metadata.namespace = opts.namespace;
  if (opts.storageUri) copy.spec.predictor.model.storageUri = opts.storageUri;
  return copy;
}

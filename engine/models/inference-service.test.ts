import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reportMissingPart } from '../test-support/real-parts.js';
import { thirdPartyFile } from './test-support/models-parts.js';
import { buildInferenceService, clusterStorageProblem, forCluster, inferenceServiceYaml, isvcName, parseInferenceService } from './inference-service.js';

const crd = thirdPartyFile('kserve/serving.kserve.io_inferenceservices.yaml');
const CRD = crd.file ?? '';
if (!crd.file) reportMissingPart('the KServe CRDs', crd.reason);

describe('the InferenceService file', () => {
  const isvc = buildInferenceService({ model: 'Digits_Model', version: 'v1', format: 'sklearn', formatVersion: '1', storageUri: 'file:///data/models/artifacts/abc' });

  it('is a KServe v1beta1 InferenceService with a DNS-1035 name, the V2 protocol and the model format', () => {
    expect(isvc).toMatchObject({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'digits-model-v1', annotations: { 'kubeflow-desktop/model-version': 'Digits_Model:v1' } },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn', version: '1' }, protocolVersion: 'v2', storageUri: 'file:///data/models/artifacts/abc' } } },
    });
    expect(isvcName('9lives', '2024.01')).toBe('lives-2024-01');
    expect(isvcName('x'.repeat(60), 'v1').length).toBeLessThanOrEqual(45);
  });

  it('reads back what it writes, comments included', () => {
    expect(parseInferenceService(inferenceServiceYaml(isvc, 'a comment\nsecond line'))).toEqual(isvc);
  });

  it('names the field that is wrong', () => {
    expect(() => parseInferenceService('kind: TrainJob')).toThrow(/kind is "TrainJob"; expected InferenceService/);
    expect(() => parseInferenceService('apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: Bad_Name}')).toThrow(/metadata.name "Bad_Name" must be a DNS-1035 label/);
    expect(() => parseInferenceService('apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: ok}\nspec: {predictor: {model: {modelFormat: {name: sklearn}}}}')).toThrow(/storageUri is missing/);
  });

  it('tells a local storageUri from one a cluster can read', () => {
    expect(clusterStorageProblem('file:///x')).toMatch(/a folder on this machine; a cluster cannot read it/);
    expect(clusterStorageProblem('s3://bucket/digits/')).toBeNull();
    expect(clusterStorageProblem('pvc://models/digits')).toBeNull();
    expect(clusterStorageProblem('ftp://x')).toMatch(/scheme KServe's storage initializer does not read/);
    const promoted = forCluster(isvc, { storageUri: 's3://b/d', namespace: 'ml' });
    expect(promoted.metadata.namespace).toBe('ml');
    expect(promoted.spec.predictor.model.storageUri).toBe('s3://b/d');
    expect(isvc.spec.predictor.model.storageUri).toBe('file:///data/models/artifacts/abc'); // a copy
  });

  // The fields we write exist in KServe's own CRD schema (read from third_party, never copied).
  it.runIf(Boolean(crd.file))('writes only fields of the KServe CRD schema', () => {
    const crd = parse(fs.readFileSync(CRD, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
    type Schema = { properties?: Record<string, Schema>; additionalProperties?: unknown; 'x-kubernetes-preserve-unknown-fields'?: boolean };
    const schema = crd.spec.versions.find((v) => v.name === 'v1beta1')!.schema.openAPIV3Schema;
    const check = (value: unknown, s: Schema, at: string) => {
      if (!value || typeof value !== 'object' || Array.isArray(value) || at === '.metadata') return;
      for (const [k, v] of Object.entries(value)) {
        if (s['x-kubernetes-preserve-unknown-fields'] || s.additionalProperties) continue;
        expect(s.properties, `${at}.${k}`).toHaveProperty(k);
        check(v, s.properties![k]!, `${at}.${k}`);
      }
    };
    check(isvc, schema, '');
  });
});

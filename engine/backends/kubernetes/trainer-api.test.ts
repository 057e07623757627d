import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reportMissingPart } from '../../test-support/real-parts.js';
import { trainerCrdFile } from './test-support/k8s-parts.js';
import { describeTrainJobCrd, trainerApiFromOpenApi, trainerApiFromSpecProperties } from './trainer-api.js';

/** The Trainer CRDs come from the Go module cache (or the module proxy, through `go`). */
function crdsMissing(): string | null {
  try {
    trainerCrdFile('v2.3.0');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
const missing = crdsMissing();
if (missing) reportMissingPart('Go (the Trainer CRDs from the module cache)', missing);

describe('Trainer API generation', () => {
  it('is read from the spec fields pods are patched through', () => {
    expect(trainerApiFromSpecProperties({ runtimeRef: {}, runtimePatches: {} })).toBe('v2.2+');
    expect(trainerApiFromSpecProperties({ podTemplateOverrides: {} })).toBe('v2.1');
    expect(trainerApiFromSpecProperties({ podSpecOverrides: {} })).toBe('v2.0');
    expect(trainerApiFromSpecProperties({ runtimeRef: {} })).toBeNull();
    const doc = { components: { schemas: { 'io.kubeflow.trainer.v1alpha1.TrainJob': { properties: { spec: { allOf: [{ $ref: '#/components/schemas/io.kubeflow.trainer.v1alpha1.TrainJobSpec' }] } } }, 'io.kubeflow.trainer.v1alpha1.TrainJobSpec': { properties: { podTemplateOverrides: {} } } } } };
    expect(trainerApiFromOpenApi(doc)).toBe('v2.1');
  });

  // The real CRDs of each release, from the Go module cache (the Go toolchain is a CI part: harness build).
  it.runIf(!missing)('matches the real TrainJob CRDs of Trainer v2.0.0, v2.1.0, v2.2.0 and v2.3.0', () => {
    const expected = { 'v2.0.0': 'v2.0', 'v2.1.0': 'v2.1', 'v2.2.0': 'v2.2+', 'v2.3.0': 'v2.2+' } as const;
    for (const [version, api] of Object.entries(expected)) {
      const crd = parseAllDocuments(fs.readFileSync(trainerCrdFile(version), 'utf8'))[0]!.toJS();
      expect(describeTrainJobCrd(crd), version).toEqual({ servedVersions: ['v1alpha1'], api });
    }
  }, 240_000);
});

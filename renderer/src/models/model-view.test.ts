import { describe, expect, it } from 'vitest';
import { deploymentTone, groupProperties, latencySeries, outputRows, parseRequest, propertyText, randomRequest } from './model-view';

describe('model view helpers', () => {
  it('groups properties into metrics, job, training environment and the rest', () => {
    const groups = groupProperties({
      'metric.accuracy': { metadataType: 'MetadataDoubleValue', double_value: 0.966666666 },
      'kfd.job.id': { metadataType: 'MetadataStringValue', string_value: 'abc' },
      'kfd.training.lib.scikit-learn': { metadataType: 'MetadataStringValue', string_value: '1.2.1' },
      'kfd.training.python': { metadataType: 'MetadataStringValue', string_value: '3.11.2' },
      team: { metadataType: 'MetadataStringValue', string_value: 'ml' },
    });
    expect(groups.map((g) => [g.title, g.rows.map(([k]) => k)])).toEqual([
      ['Metrics', ['accuracy']],
      ['Job', ['job.id']],
      ['Trained with', ['scikit-learn', 'python']],
      ['Other', ['team']],
    ]);
    expect(propertyText(groups[0]!.rows[0]![1])).toBe('0.966667');
    expect(propertyText({ metadataType: 'MetadataStructValue', struct_value: btoa('{"a":1}') })).toBe('{"a":1}');
    const utf8 = btoa(String.fromCharCode(...new TextEncoder().encode('{"owner":"Zoë"}')));
    expect(propertyText({ metadataType: 'MetadataStructValue', struct_value: utf8 })).toBe('{"owner":"Zoë"}');
  });

  it('maps deployment states to tones', () => {
    expect(deploymentTone('Ready')).toBe('ok');
    expect(deploymentTone('Starting')).toBe('busy');
    expect(deploymentTone('Failed')).toBe('failed');
  });

  it('builds a random request from metadata and reads the user\'s JSON back', () => {
    let i = 0;
    const req = randomRequest({ inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }], outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }] }, 2, 0, 16, () => (i++ % 4) / 4);
    expect(req).toEqual({ inputs: [{ name: 'input-0', datatype: 'FP64', shape: [2, 4], data: [0, 4, 8, 12, 0, 4, 8, 12] }], outputs: [{ name: 'predict' }] });
    expect(parseRequest(JSON.stringify(req))).toEqual({ request: req });
    expect(parseRequest('{"x": 1}')).toEqual({ error: 'A V2 infer request is an object with an "inputs" list.' });
    expect(parseRequest('{')).toMatchObject({ error: expect.stringMatching(/^Not JSON/) });
  });

  it('lays outputs out one row per batch row', () => {
    const rows = outputRows({ outputs: [{ name: 'predict', datatype: 'INT64', shape: [2, 1], data: [3, 7] }, { name: 'predict_proba', datatype: 'FP64', shape: [2, 2], data: [0.123456, 0.876544, 0.5, 0.5] }] });
    expect(rows).toEqual({ names: ['predict', 'predict_proba'], rows: [['3', '0.1235, 0.8765'], ['7', '0.5, 0.5']] });
    expect(outputRows({ error: 'bad' })).toBeNull();
  });

  it('orders load-test samples by time, in seconds', () => {
    expect(latencySeries([[2000, 5], [1000, 7]])).toEqual([[1, 2], [7, 5]]);
  });
});

describe('prettyJson', () => {
  it('keeps lists of values on one line and the rest indented', async () => {
    const { prettyJson } = await import('./model-view');
    const text = prettyJson({ inputs: [{ name: 'input-0', shape: [1, 3], data: [0.5, 1, 2] }] });
    expect(text).toBe('{\n  "inputs": [\n    {\n      "name": "input-0",\n      "shape": [1, 3],\n      "data": [0.5, 1, 2]\n    }\n  ]\n}');
    expect(JSON.parse(text)).toEqual({ inputs: [{ name: 'input-0', shape: [1, 3], data: [0.5, 1, 2] }] });
  });
});

/**
 * Registering models through the API, as the Models page and `kfd models register` do: from a
 * real finished job of the sklearn template (its final metrics and id become typed properties,
 * its interpreter's library versions are recorded, the model is read for its tensors), from a
 * pipeline's system.Model folder, and the refusals. The user's files are only ever copied.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePart, tempDir } from '../jobs/test-support/parts.js';
import { TestEngine } from '../jobs/test-support/test-engine.js';
import { writeWorkspace } from '../jobs/test-support/workspaces.js';
import { modelsEnv, trainTemplateModel } from './test-support/models-parts.js';

const ready = requirePart('scikit-learn + joblib', 'import sklearn, joblib');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.runIf(ready)('registering models', () => {
  let t: TestEngine;
  let jobId: string;
  let workspace: string;
  beforeAll(async () => {
    t = TestEngine.open(path.join(tempDir('registry'), 'kfd'), modelsEnv());
    ({ jobId, workspace } = await trainTemplateModel(t, tempDir('ws')));
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('from a finished job: a content-addressed copy, the job\'s id and final metrics as typed properties, the training versions, the tensors', async () => {
    const source = path.join(workspace, 'model.joblib');
    const before = { sha: sha256(source), mtime: fs.statSync(source).mtimeMs };
    const v = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn', description: 'SGD on digits' });

    expect(v).toMatchObject({ name: 'v1', state: 'LIVE', jobId, description: 'SGD on digits', source: { kind: 'job', jobId, path: source }, model: { name: 'digits', state: 'LIVE' } });
    expect(v.customProperties['kfd.job.id']).toEqual({ metadataType: 'MetadataStringValue', string_value: jobId });
    expect(v.customProperties['metric.accuracy']).toMatchObject({ metadataType: 'MetadataDoubleValue' });
    expect((v.customProperties['metric.accuracy'] as { double_value: number }).double_value).toBeGreaterThan(0.9);
    expect(v.customProperties['kfd.training.lib.scikit-learn']).toMatchObject({ metadataType: 'MetadataStringValue', string_value: v.trainingEnv.packages['scikit-learn'] });
    expect(v.trainingEnv).toMatchObject({ python: expect.stringMatching(/python3/), pythonVersion: expect.stringMatching(/^3\.\d+/), packages: { 'scikit-learn': expect.any(String), numpy: expect.any(String), joblib: expect.any(String) } });
    expect(v.trainingEnv.source).toMatch(/the interpreter the job ran with/);
    expect(v.signature.inputs).toEqual([{ name: 'input-0', datatype: 'FP64', shape: [-1, 64] }]);
    expect(v.signature.outputs.map((o) => o.name)).toEqual(['predict', 'predict_proba']);
    expect(v.signature.detail).toMatch(/Pipeline ending in SGDClassifier/);

    const a = v.artifacts[0]!;
    expect(a).toMatchObject({ artifactType: 'model-artifact', name: 'model.joblib', modelFormatName: 'sklearn', modelFormatVersion: '1', modelSourceKind: 'kubeflow-desktop', modelSourceClass: 'job', modelSourceId: jobId, modelFile: 'model.joblib', files: ['model.joblib'], digest: `sha256:${before.sha}` });
    expect(a.localPath.startsWith(path.join(t.engine.dataDir, 'models', 'artifacts'))).toBe(true);
    expect(a.uri).toBe(`file://${a.localPath}`);
    expect(sha256(path.join(a.localPath, 'model.joblib'))).toBe(before.sha);
    // Copied, never moved or touched.
    expect({ sha: sha256(source), mtime: fs.statSync(source).mtimeMs }).toEqual(before);

    // The same bytes again: a new version, the same stored copy.
    const v2 = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    expect(v2.name).toBe('v2');
    expect(v2.artifacts[0]!.localPath).toBe(a.localPath);
    expect(fs.readdirSync(path.join(t.engine.dataDir, 'models', 'artifacts')).filter((n) => !n.startsWith('.'))).toHaveLength(1);

    const list = await t.call('models.list', {});
    expect(list).toEqual([expect.objectContaining({ name: 'digits', latestVersion: 'v2', serving: 0, versions: [expect.objectContaining({ name: 'v2', jobId }), expect.objectContaining({ name: 'v1', jobId })] })]);
    expect((await t.call('models.version', { model: 'digits' })).name).toBe('v2'); // newest by default
    expect((await t.call('models.setState', { model: 'digits:v1', state: 'ARCHIVED' })).state).toBe('ARCHIVED');
  });

  it('refuses what would break lineage or lose track of the file, saying what to do', async () => {
    expect(await t.callError('models.register', { name: 'digits', version: 'v1', jobId, path: 'model.joblib', format: 'sklearn' })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already has a version "v1"/) });
    expect(await t.callError('models.register', { name: 'x', jobId, path: 'nope.joblib', format: 'sklearn' })).toMatchObject({ message: expect.stringMatching(/nope\.joblib does not exist: job .* did not write it/) });
    const outside = path.join(tempDir('outside'), 'model.joblib');
    fs.copyFileSync(path.join(workspace, 'model.joblib'), outside);
    expect(await t.callError('models.register', { name: 'x', jobId, path: outside, format: 'sklearn' })).toMatchObject({ message: expect.stringMatching(/outside job .*'s workspace.*--uri/) });
    // Written after the job finished: not what that job made.
    const later = path.join(workspace, 'later.joblib');
    fs.copyFileSync(path.join(workspace, 'model.joblib'), later);
    expect(await t.callError('models.register', { name: 'x', jobId, path: 'later.joblib', format: 'sklearn' })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/after job .* finished/) });
    // A job that did not complete.
    const failing = writeWorkspace(tempDir('failing'), 'failing', 'raise SystemExit(2)\n');
    const job = await t.call('jobs.run', { path: failing });
    await t.waitForStatus(job.id);
    expect(await t.callError('models.register', { name: 'x', jobId: job.id, path: 'train.py', format: 'sklearn' })).toMatchObject({ message: expect.stringMatching(/is Failed.*--uri/) });
    expect(await t.callError('models.version', { model: 'digits:v9' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no version "v9" \(it has v2, v1\)/) });
  });

  it('from a pipeline\'s system.Model folder (any path): the run and task are its source; the model file is found by name', async () => {
    const dir = path.join(tempDir('pipeline'), 'model');
    fs.mkdirSync(path.join(dir, 'extra'), { recursive: true });
    fs.copyFileSync(path.join(workspace, 'model.joblib'), path.join(dir, 'model.joblib'));
    fs.writeFileSync(path.join(dir, 'extra', 'README.md'), 'metrics and notes\n');
    const v = await t.call('models.register', { name: 'digits-pipeline', path: dir, format: 'sklearn', pipeline: { runId: 'run-1', taskId: 'train' } });
    expect(v).toMatchObject({ jobId: null, source: { kind: 'pipeline', runId: 'run-1', taskId: 'train', path: dir } });
    expect(v.customProperties['kfd.pipeline.run_id']).toEqual({ metadataType: 'MetadataStringValue', string_value: 'run-1' });
    expect(v.artifacts[0]).toMatchObject({ files: ['extra/README.md', 'model.joblib'], modelFile: 'model.joblib', modelSourceKind: 'pipelines', modelSourceClass: 'pipelinerun', modelSourceId: 'run-1', modelSourceName: 'train' });
    expect(fs.readFileSync(path.join(v.artifacts[0]!.localPath, 'extra', 'README.md'), 'utf8')).toBe('metrics and notes\n');
    expect(v.trainingEnv.source).toMatch(/not from a job/);
    // A folder without a file the server would load is refused, naming the names it looks for.
    const empty = tempDir('nomodel');
    fs.writeFileSync(path.join(empty, 'a.txt'), 'x');
    fs.writeFileSync(path.join(empty, 'b.txt'), 'y');
    expect(await t.callError('models.register', { name: 'y', path: empty, format: 'sklearn' })).toMatchObject({ message: expect.stringMatching(/no model\.joblib \/ model\.pickle \/ model\.pkl file/) });
  });
});

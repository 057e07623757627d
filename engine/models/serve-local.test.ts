/**
 * The whole local loop with the real server: the sklearn template trains as a job, its
 * model.joblib is registered from the job, served by MLServer 1.7.1 (pip-installed into a
 * managed venv pinned to the versions it was trained with) as a long-running job, and the V2
 * answers on held-out digits are compared with the model's own predict. Then stop, restart,
 * and an engine restart with the server still running. Needs /usr/bin/python3 with
 * scikit-learn and venv, and PyPI (or KFD_WHEELHOUSE) for the first environment build.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findVenvPython } from '../jobs/python-env/test-support.js';
import { requirePart, tempDir } from '../jobs/test-support/parts.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { reportMissingPart } from '../test-support/real-parts.js';
import { digitsRequest, heldOutDigits, modelsEnv, shareServingEnvs, trainTemplateModel } from './test-support/models-parts.js';

const venv = findVenvPython();
const ready = requirePart('scikit-learn + joblib', 'import sklearn, joblib') && (venv.python ? true : reportMissingPart('python3-venv', venv.reason));

const engines: TestEngine[] = [];
afterAll(async () => {
  // Servers outlive engines by design; a failed test must not leave its processes running.
  for (const t of engines) {
    for (const d of await t.call('models.servers.list', { active: true }).catch(() => [])) await t.call('models.servers.stop', { id: d.id }).catch(() => undefined);
    await t.close().catch(() => undefined);
  }
});
function open(dataDir: string): TestEngine {
  const t = TestEngine.open(dataDir, modelsEnv());
  engines.push(t);
  return t;
}

async function infer(url: string, model: string, body: unknown): Promise<{ outputs: { name: string; data: number[] }[] }> {
  const res = await fetch(`${url}/v2/models/${model}/infer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { outputs: { name: string; data: number[] }[] };
}

describe.runIf(ready)('a registered sklearn model served by MLServer (local-process)', () => {
  it('template → register from the job → serve → the V2 answers equal the model\'s own predict; stop, restart, engine restart', async () => {
    const dataDir = path.join(tempDir('serve'), 'kfd');
    shareServingEnvs(dataDir);
    let t = open(dataDir);
    const { jobId } = await trainTemplateModel(t, tempDir('ws'));
    const v = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    expect(v.trainingEnv.packages['scikit-learn']).toMatch(/^\d+\.\d+/);
    // What the model file itself predicts, computed before any server runs: the synchronous
    // python call blocks the event loop, which must not happen while V2 connections are pooled.
    const artifact = v.artifacts[0]!;
    const truth = heldOutDigits(path.join(artifact.localPath, artifact.modelFile), 60);

    const started = await t.call('models.serve', { model: 'digits' });
    expect(started).toMatchObject({ state: 'Preparing', kind: 'local', backend: 'local-process', modelName: 'digits', versionName: 'v1' });
    expect(started.manifest).toContain('kind: InferenceService');
    // The first run here builds the environment from PyPI (minutes); later runs reuse it.
    const served = await waitFor('the server to be Ready', async () => {
      const d = await t.call('models.servers.get', { id: started.id });
      if (d.state === 'Failed') throw new Error(d.message);
      return d.state === 'Ready' ? d : null;
    }, 900_000, 500);
    expect(served.url).toBe(`http://127.0.0.1:${served.port}`);

    // The serving process is a job owned by the server: history, logs and cancel are the job system's.
    const owned = await t.call('jobs.list', { owner: { kind: 'model-server', id: served.id } });
    expect(owned.jobs.map((j) => j.id)).toEqual([served.jobId]);
    expect(owned.jobs[0]).toMatchObject({ status: 'Running', owner: { kind: 'model-server', id: served.id } });

    // Metadata from the model itself, then held-out digits: the server's answers are the model's.
    const { metadata, example } = await t.call('models.servers.metadata', { id: served.id });
    expect(metadata).toMatchObject({ name: 'digits-v1', inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, 64] }] });
    expect((example as { inputs: { shape: number[] }[] }).inputs[0]!.shape).toEqual([1, 64]);
    const answer = await infer(served.url!, 'digits-v1', digitsRequest(truth.x, ['predict', 'predict_proba']));
    const byName = Object.fromEntries(answer.outputs.map((o) => [o.name, o.data]));
    expect(byName.predict).toEqual(truth.predict);
    truth.proba.flat().forEach((p, i) => expect(byName.predict_proba![i]).toBeCloseTo(p, 9));
    // Through the API too (what "Try it" sends), with its latency.
    const tried = await t.call('models.servers.infer', { id: served.id, request: digitsRequest(truth.x.slice(0, 3)) });
    expect(tried.status).toBe(200);
    expect((tried.response as { outputs: { data: number[] }[] }).outputs[0]!.data).toEqual(truth.predict.slice(0, 3));
    expect(tried.latencyMs).toBeGreaterThan(0);

    // The app closes and opens again: the server (a job) kept running and is found Ready again.
    await t.close();
    engines.splice(engines.indexOf(t), 1);
    t = open(dataDir);
    const again = await waitFor('the server after an engine restart', async () => {
      const d = await t.call('models.servers.get', { id: served.id });
      return d.state === 'Ready' && d.jobStatus === 'Running' ? d : null;
    }, 60_000, 200);
    expect(again.jobId).toBe(served.jobId);
    expect((await infer(again.url!, 'digits-v1', digitsRequest(truth.x.slice(0, 5)))).outputs[0]!.data).toEqual(truth.predict.slice(0, 5));

    // Stop: the job ends, the port closes, the deployment says Stopped.
    const stopped = await t.call('models.servers.stop', { id: served.id });
    expect(stopped.state).toBe('Stopped');
    await t.waitForStatus(served.jobId!, undefined, 30_000);
    await expect(fetch(`${served.url}/v2/health/ready`)).rejects.toThrow();

    // Restart: a new serving job of the same deployment, Ready again with the same answers.
    const restarted = await t.call('models.servers.restart', { id: served.id });
    expect(restarted.state).toBe('Preparing');
    const back = await waitFor('the restarted server', async () => {
      const d = await t.call('models.servers.get', { id: served.id });
      if (d.state === 'Failed') throw new Error(d.message);
      return d.state === 'Ready' ? d : null;
    }, 120_000, 300);
    expect(back.jobId).not.toBe(served.jobId);
    expect((await infer(back.url!, 'digits-v1', digitsRequest(truth.x.slice(0, 5)))).outputs[0]!.data).toEqual(truth.predict.slice(0, 5));
    const detail = await t.call('models.version', { model: 'digits:v1' });
    expect(detail.deployments.map((d) => [d.id, d.state])).toEqual([[served.id, 'Ready']]);

    // An engine that asked for a stop and died before the server ended: the next one finishes it.
    t.engine.store.db.prepare("UPDATE model_deployments SET state = 'Stopping' WHERE id = ?").run(served.id);
    await t.close();
    engines.splice(engines.indexOf(t), 1);
    t = open(dataDir);
    const finished = await waitFor('the interrupted stop to finish', async () => {
      const d = await t.call('models.servers.get', { id: served.id });
      return d.state === 'Stopped' && d.jobStatus !== 'Running' ? d : null;
    }, 60_000, 200);
    expect(finished.jobId).toBe(back.jobId);
    await expect(fetch(`${back.url}/v2/health/ready`)).rejects.toThrow();
  }, 1_200_000);

  it('refuses to serve with other library versions: a training version pip cannot install is named, nothing is served', async () => {
    const dataDir = path.join(tempDir('mismatch'), 'kfd');
    shareServingEnvs(dataDir);
    const t = open(dataDir);
    const { jobId } = await trainTemplateModel(t, tempDir('ws'));
    const v = await t.call('models.register', { name: 'digits', jobId, path: 'model.joblib', format: 'sklearn' });
    // As if it had been trained with a scikit-learn that does not exist for this Python.
    const env = { ...v.trainingEnv, packages: { ...v.trainingEnv.packages, 'scikit-learn': '0.0.1' } };
    t.engine.store.db.prepare('UPDATE model_versions SET training_env = ? WHERE id = ?').run(JSON.stringify(env), Number(v.id));
    const d = await t.call('models.serve', { model: 'digits:v1' });
    const failed = await waitFor('the serve to fail', async () => {
      const x = await t.call('models.servers.get', { id: d.id });
      return x.state === 'Failed' ? x : null;
    }, 300_000, 300);
    expect(failed.message).toMatch(/could not be built .* with the versions the model was trained with \(.*scikit-learn==0\.0\.1/);
    expect(failed.jobId).toBeNull(); // no server was started
  }, 400_000);
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPython } from '../jobs/test-support/parts.js';
import { PYTHON } from '../jobs/test-support/python.js';
import { makeTempDir } from '../test-support/real-parts.js';
import { SERVE_SCRIPT } from './python-scripts.js';
import { describeMismatch, formatVersion, modelSettings, serverJobName, serverSettings, serverTrainJob, servingRequirements, unservableReason } from './serving-plan.js';

const env = (packages: Record<string, string>) => ({ python: '/usr/bin/python3', pythonVersion: '3.11.2', packages, source: 'test' });

describe('servingRequirements', () => {
  it('pins every library the format loads with to the training version, next to MLServer and its runtime', () => {
    const r = servingRequirements('sklearn', env({ 'scikit-learn': '1.2.1', numpy: '1.24.2', scipy: '1.10.1', joblib: '1.2.0', torch: '2.0' }));
    expect(r.requirements).toEqual(['mlserver==1.7.1', 'mlserver-sklearn==1.7.1', 'scikit-learn==1.2.1', 'numpy==1.24.2', 'scipy==1.10.1', 'joblib==1.2.0']);
    expect(r.pinned).toEqual({ 'scikit-learn': '1.2.1', numpy: '1.24.2', scipy: '1.10.1', joblib: '1.2.0' });
    expect(r.unpinned).toEqual([]);
    expect(r.server).toEqual(['mlserver', 'mlserver-sklearn']);
  });

  it('says which libraries had no recorded version (pip picks those) and still installs the format library', () => {
    const r = servingRequirements('xgboost', env({ numpy: '2.1.0' }));
    expect(r.unpinned).toEqual(['xgboost', 'scipy']);
    expect(r.requirements).toEqual(['mlserver==1.7.1', 'mlserver-xgboost==1.7.1', 'numpy==2.1.0', 'xgboost']);
  });

  it('refuses formats MLServer has no runtime for, naming the ones it has', () => {
    expect(unservableReason('onnx')).toMatch(/no runtime for onnx.*sklearn, xgboost, lightgbm/);
    expect(unservableReason('sklearn')).toBeNull();
    expect(() => servingRequirements('pytorch', env({}))).toThrow(/no runtime for pytorch/);
  });

  it('gives KServe modelFormat.version as the library major version', () => {
    expect(formatVersion('sklearn', env({ 'scikit-learn': '1.2.1' }))).toBe('1');
    expect(formatVersion('sklearn', env({}))).toBe('');
  });
});

describe('MLServer files and the server job', () => {
  it('writes one-process settings without a metrics port, and the model under its V2 name with its tensors', () => {
    expect(serverSettings({ httpPort: 9000, grpcPort: 9001, host: '127.0.0.1' })).toEqual({ http_port: 9000, grpc_port: 9001, host: '127.0.0.1', parallel_workers: 0, metrics_endpoint: null, load_models_at_startup: true });
    const sig = { inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, 64] }], outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }], detail: '' };
    expect(modelSettings({ v2Name: 'digits-v1', version: 'v1', format: 'sklearn', uri: './model/model.joblib', signature: sig })).toEqual({
      name: 'digits-v1',
      implementation: 'mlserver_sklearn.SKLearnModel',
      parameters: { uri: './model/model.joblib', version: 'v1' },
      inputs: sig.inputs,
      outputs: sig.outputs,
    });
  });

  it('runs kfd_serve.py as a one-process TrainJob; a container publishes its port on loopback', () => {
    const local = serverTrainJob({ name: serverJobName('digits-v1'), python: '/envs/x/bin/python', labels: { 'kubeflow-desktop/model': 'digits' } });
    expect(local).toMatch(/name: serve-digits-v1/);
    expect(local).toMatch(/command:\n\s+- \/envs\/x\/bin\/python\n\s+- kfd_serve.py/);
    expect(local).not.toMatch(/publish-ports|image:/);
    const inContainer = serverTrainJob({ name: 'serve-x', python: 'python3', image: 'kfd-test/mlserver:bookworm', publish: '41000:8080', labels: {} });
    expect(inContainer).toMatch(/kubeflow-desktop\/publish-ports: 41000:8080/);
    expect(inContainer).toMatch(/image: kfd-test\/mlserver:bookworm/);
    expect(serverJobName('a'.repeat(80))).toHaveLength(63);
  });
});

describe('describeMismatch', () => {
  it('turns the launcher\'s kfd-serve line into a sentence naming each difference', () => {
    const line = 'kfd-serve: {"mismatch": [{"package": "scikit-learn", "trained": "1.2.1", "serving": "1.5.0"}, {"package": "joblib", "trained": "1.2.0", "serving": null}, {"package": "mlserver-sklearn", "trained": null, "serving": null, "server": true}], "python": "3.11.2"}';
    const text = describeMismatch(['some log', line]);
    expect(text).toContain('scikit-learn 1.2.1 (trained) vs 1.5.0 (serving)');
    expect(text).toContain('joblib 1.2.0 (trained) vs not installed (serving)');
    expect(text).toContain('it lacks mlserver-sklearn');
    expect(describeMismatch(['Traceback …'])).toBeNull();
  });
});

// The launcher itself, with a real interpreter: it checks before MLServer is even imported.
describe.runIf(hasPython())('kfd_serve.py', () => {
  it('exits 3 with one kfd-serve line when a library differs from the training version', () => {
    const dir = makeTempDir('models', 'serve-script');
    fs.writeFileSync(path.join(dir, 'kfd_serve.py'), SERVE_SCRIPT);
    fs.writeFileSync(path.join(dir, 'kfd-serving.json'), JSON.stringify({ packages: { 'kfd-no-such-lib': '1.0', pip: '0.0.1' }, server: ['kfd-no-such-server'] }));
    const r = spawnSync(PYTHON, ['kfd_serve.py'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(3);
    const text = describeMismatch(r.stderr.split('\n'));
    expect(text).toMatch(/kfd-no-such-lib 1\.0 \(trained\) vs not installed \(serving\); pip 0\.0\.1 \(trained\) vs \d+\.\d+.* \(serving\)/);
    expect(text).toMatch(/lacks kfd-no-such-server/);
  });
});

/**
 * Hand-off to Kubeflow Pipelines: upload a pipeline compiled by real kfp and start a run, against
 * fake-kfp-server, which checks every request against KFP's own v2beta1 OpenAPI (no KFP server can
 * be built here). The token lives in a 0600 file (or KFD_KFP_TOKEN), never in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestEngine } from '../../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../../test-support/real-parts.js';
import { compileFixture, kfpUnavailable, shareKfpEnvs } from '../test-support/kfp-fixtures.js';
import { FakeKfpServer, SWAGGER_FILE } from './test-support/fake-kfp-server.js';

const kfpMissing = await kfpUnavailable();
if (kfpMissing) reportMissingPart('kfp (PyPI)', kfpMissing);
const specMissing = fs.existsSync(SWAGGER_FILE) ? null : `KFP's OpenAPI is not at ${SWAGGER_FILE} (the shared third_party folder; KFD_THIRD_PARTY_DIR overrides)`;
if (specMissing) reportMissingPart("KFP's v2beta1 OpenAPI", specMissing);

const SOURCE = `
from kfp import dsl

@dsl.component
def greet(who: str, times: int) -> str:
    return ('hello ' + who + ' ') * times

@dsl.pipeline(name='greeter', description='says hello')
def greeter(who: str = 'kfp', times: int = 2):
    greet(who=who, times=times)
`;

describe.runIf(!kfpMissing && !specMissing)('hand-off to Kubeflow Pipelines (fake-kfp-server checks KFP\'s OpenAPI)', () => {
  const TOKEN = 'kfp-secret-token-123';
  let dir = '';
  let yaml = '';
  let fake: FakeKfpServer;
  let engine: TestEngine;
  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'kfp');
    yaml = await compileFixture(dir, 'greeter', SOURCE);
    fake = await new FakeKfpServer(TOKEN).start();
    shareKfpEnvs(path.join(dir, 'data'));
    engine = TestEngine.open(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => {
    await engine?.engine.close();
    await fake?.stop();
  });

  it('keeps the token out of the database, in a file only its user can read', async () => {
    const set = await engine.call('pipelines.remote.configure', { endpoint: `${fake.url}/`, namespace: 'team-a', token: TOKEN });
    expect(set).toEqual({ endpoint: `${fake.url}/`, namespace: 'team-a', tokenSource: 'file' });
    const file = path.join(dir, 'data', 'secrets', 'kfp-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const dbFiles = fs.readdirSync(path.join(dir, 'data')).filter((f) => /\.(db|sqlite)(-wal)?$/.test(f));
    expect(dbFiles.length).toBeGreaterThan(0);
    for (const f of dbFiles) expect(fs.readFileSync(path.join(dir, 'data', f)).includes(TOKEN)).toBe(false);
    expect(JSON.stringify(await engine.call('pipelines.remote.get', {}))).not.toContain(TOKEN);
  });

  it('uploads the pipeline and starts a run; a second hand-off adds a version', async () => {
    const first = await engine.call('pipelines.remote.submit', { path: yaml, parameters: { times: '3' } });
    expect(first.runUrl).toBe(`${fake.url}/#/runs/details/${first.runId}`);
    expect(fake.violations).toEqual([]);
    expect(fake.requests.map((r) => r.operationId)).toEqual(['UploadPipeline', 'RunService_CreateRun']);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const upload = fake.requests[0]!;
    expect(upload.query).toEqual({ name: 'greeter', display_name: 'greeter', description: 'says hello', namespace: 'team-a' });
    expect((upload.body as { text: string }).text).toBe(fs.readFileSync(yaml, 'utf8'));
    expect(fake.runs[0]!.body).toMatchObject({ pipeline_version_reference: { pipeline_id: first.pipelineId }, runtime_config: { parameters: { who: 'kfp', times: 3 } } });

    const again = await engine.call('pipelines.remote.submit', { path: yaml });
    expect(fake.violations).toEqual([]);
    expect(fake.requests.slice(2).map((r) => r.operationId)).toEqual(['UploadPipeline', 'PipelineService_GetPipelineByName', 'UploadPipelineVersion', 'RunService_CreateRun']);
    expect(again.pipelineId).toBe(first.pipelineId);
    expect(fake.runs[1]!.body).toMatchObject({ pipeline_version_reference: { pipeline_id: first.pipelineId, pipeline_version_id: again.pipelineVersionId } });
  });

  it('says what to do when KFP refuses the token or cannot be reached', async () => {
    await engine.call('pipelines.remote.configure', { token: 'wrong' });
    const refused = await engine.callError('pipelines.remote.submit', { path: yaml });
    expect(refused.code).toBe('unauthorized');
    expect(refused.message).toMatch(/refused the request \(401\).*Check the token/);
    await engine.call('pipelines.remote.configure', { endpoint: 'http://127.0.0.1:9', token: '' });
    expect((await engine.call('pipelines.remote.get', {})).tokenSource).toBeNull();
    const down = await engine.callError('pipelines.remote.submit', { path: yaml });
    expect(down.message).toMatch(/Cannot reach Kubeflow Pipelines at http:\/\/127\.0\.0\.1:9/);
  });
});

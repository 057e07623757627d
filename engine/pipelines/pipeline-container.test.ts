/**
 * A compiled pipeline (real kfp) on the container backend with real Docker: lightweight components
 * run kfp's executor in the test image with the pipeline root mounted, artifacts pass between
 * containers, a container component writes its output file, resources apply as container limits.
 * Needs Docker with kfd-test/python:bookworm (scripts/build-test-images.sh) and kfp from PyPI.
 */
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDocker } from '../backends/container/test-support/docker-parts.js';
import { TestEngine, waitFor } from '../jobs/test-support/test-engine.js';
import { makeTempDir, reportMissingPart } from '../test-support/real-parts.js';
import { compileFixture, kfpUnavailable, seedKfpRuntime } from './test-support/kfp-fixtures.js';

const kfpMissing = await kfpUnavailable();
const docker = kfpMissing ? false : await requireDocker();
if (kfpMissing) reportMissingPart('kfp (PyPI)', kfpMissing);

const PIPELINE = `
from kfp import dsl
from kfp.dsl import Dataset, Input, Output

IMAGE = 'kfd-test/python:bookworm'

@dsl.component(base_image=IMAGE)
def write(text: str, out: Output[Dataset]):
    import platform
    with open(out.path, 'w') as f:
        f.write(text + ' from python ' + platform.python_version())

@dsl.component(base_image=IMAGE)
def read(data: Input[Dataset]) -> str:
    return open(data.path).read().upper()

@dsl.container_component
def wc(data: Input[Dataset], count: dsl.OutputPath(int)):
    return dsl.ContainerSpec(image=IMAGE, command=['sh', '-c', 'wc -c < "$0" > "$1"'], args=[data.path, count])

@dsl.pipeline(name='in-containers')
def p(text: str = 'hello'):
    w = write(text=text).set_memory_limit('256M').set_cpu_limit('1')
    read(data=w.outputs['out'])
    wc(data=w.outputs['out'])
`;

describe.runIf(docker && !kfpMissing)('pipelines on containers (real Docker, real kfp)', () => {
  let dir = '';
  let engine: TestEngine;
  let yaml = '';
  beforeAll(async () => {
    dir = makeTempDir('pipelines', 'containers');
    yaml = await compileFixture(dir, 'containers', PIPELINE);
    await seedKfpRuntime(path.join(dir, 'data'));
    engine = TestEngine.open(path.join(dir, 'data'));
  }, 600_000);
  afterAll(async () => engine?.engine.close());

  it('passes parameters and artifacts between containers and reads the output files back', async () => {
    const started = await engine.call('pipelines.run', { path: yaml, backend: 'container', parameters: {} });
    const run = await waitFor('the run to end', async () => {
      const r = await engine.call('pipelines.get', { id: started.id });
      return ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) ? r : null;
    }, 240_000, 250);
    expect(run.status, JSON.stringify(run.tasks.map((t) => [t.path, t.status, t.message]))).toBe('Succeeded');
    const write = run.tasks.find((t) => t.path === 'write')!;
    const data = write.outputs.artifacts.out![0]!;
    // The URI is the host path (stable), although the container wrote /workspace/… .
    expect(data.uri.startsWith(path.join(dir, 'data', 'pipelines', 'root'))).toBe(true);
    const text = fs.readFileSync(data.uri, 'utf8');
    expect(text).toMatch(/^hello from python 3\.11/);
    expect(run.tasks.find((t) => t.path === 'read')!.outputs.parameters.Output).toBe(text.toUpperCase());
    expect(run.tasks.find((t) => t.path === 'wc')!.outputs.parameters.count).toBe(Buffer.byteLength(text));
    // Each task ran as a container job; the memory limit applied to its container.
    const job = await engine.call('jobs.get', { id: write.jobId! });
    expect(job.backend).toBe('container');
    expect(job.spec).toContain('memory: 256M');
    const inspect = await new Docker({ socketPath: '/var/run/docker.sock' }).listContainers({ all: true, filters: { label: [`org.kubeflow.desktop.job-id=${job.id}`] } });
    if (inspect[0]) {
      const info = await new Docker({ socketPath: '/var/run/docker.sock' }).getContainer(inspect[0].Id).inspect();
      expect(info.HostConfig.Memory).toBe(256_000_000);
    }
  }, 300_000);
});

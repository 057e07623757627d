/**
 * `kfd targets`, `kfd promote` and `kfd run --backend kubernetes` through the real binary,
 * against a real kube-apiserver (harness stage 1, one per file), KUBECONFIG pointing at it.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kfd } from '../../engine/jobs/test-support/kfd-cli.js';
import { tempDir } from '../../engine/jobs/test-support/parts.js';
import { makeWorkspace, needHarness, TRAINJOB, useControlPlane } from '../../engine/backends/kubernetes/test-support/k8s-parts.js';

const { missing, cp } = useControlPlane(1);
const ID = /^[0-9a-z]{9}-[0-9a-f]{3}$/;

describe('kfd targets / promote / run --backend kubernetes (real binary, real API server)', () => {
  it('targets lists the context; --probe shows the Trainer API; --json has no credential', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const env = { KUBECONFIG: cp().kubeconfigPath };
    const data = tempDir('cli-k8s-targets');
    const table = await kfd(data, ['targets', '--probe'], 60_000, env);
    expect(table.code, table.stderr).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/TARGET +CONTEXT\/NAMESPACE +SERVER +AUTH +VERSION +TRAINER/);
    expect(row).toMatch(new RegExp(`^\\* +kubeconfig:kfd-harness +kfd-harness/default +${cp().server.replace(/[.]/g, '\\.')} +bearer token in the kubeconfig +${cp().versions.kubernetes} +Trainer v2\\.2\\+$`));
    const json = await kfd(data, ['targets', '--json'], 60_000, env);
    expect(JSON.parse(json.stdout).targets[0].id).toBe('kubeconfig:kfd-harness');
    expect(json.stdout).not.toContain(cp().token);
    const namespaces = await kfd(data, ['targets', '--namespaces', 'kfd-harness'], 60_000, env);
    expect(namespaces.code, namespaces.stderr).toBe(0);
    expect(namespaces.stdout.trimEnd().split('\n')).toEqual(expect.arrayContaining(['default', 'kube-system']));
  }, 120_000);

  it('promote --dry-run prints the final manifests and the files; promote and run submit jobs', async (t) => {
    if (missing) return needHarness(t.skip, missing);
    const env = { KUBECONFIG: cp().kubeconfigPath };
    const data = tempDir('cli-k8s-promote');
    const ws = makeWorkspace('cli', TRAINJOB('cli-job'), { 'train.py': 'print(1)\n', 'util.py': 'U = 1\n' });
    const dry = await kfd(data, ['promote', ws, '--context', 'kfd-harness', '--dry-run', '--cpu', '2'], 60_000, env);
    expect(dry.code, dry.stderr).toBe(0);
    const docs = parseAllDocuments(dry.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'TrainJob']);
    expect(docs[1].spec.trainer.resourcesPerNode.limits.cpu).toBe('2');
    expect(dry.stderr).toMatch(/Files shipped \(3, \d+ bytes\):\n +\d+  train\.py\n +\d+  trainjob\.yaml\n +\d+  util\.py/);
    expect(dry.stderr).toContain('Dry run: nothing was applied to kfd-harness/default.');
    const none = await cp().client.get<{ items: unknown[] }>('/apis/trainer.kubeflow.org/v1alpha1/trainjobs');
    expect(none.items).toEqual([]);

    const run = await kfd(data, ['run', ws, '--backend', 'kubernetes', '--context', 'kfd-harness', '--namespace', 'default'], 60_000, env);
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(ID);
    const promoted = await kfd(data, ['promote', id, '--context', 'kfd-harness'], 60_000, env);
    expect(promoted.code, promoted.stderr).toBe(0);
    const child = promoted.stdout.trim();
    expect(promoted.stderr).toContain(`Promoted job ${id} to kfd-harness/default as ${child}`);
    const jobs = JSON.parse((await kfd(data, ['jobs', '--json'], 60_000, env)).stdout) as { id: string; parentId: string | null; target: string; backend: string }[];
    expect(jobs.find((j) => j.id === child)).toMatchObject({ parentId: id, backend: 'kubernetes', target: 'kfd-harness/default' });
    const names = (await cp().client.get<{ items: { metadata: { name: string } }[] }>('/apis/trainer.kubeflow.org/v1alpha1/namespaces/default/trainjobs')).items.map((i) => i.metadata.name).sort();
    expect(names).toEqual([`cli-job-${child}`, `cli-job-${id}`].sort());

    const unknown = await kfd(data, ['promote', id, '--context', 'nope'], 60_000, env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/No Kubernetes target "nope". Known contexts: kfd-harness/);
  }, 180_000);
});

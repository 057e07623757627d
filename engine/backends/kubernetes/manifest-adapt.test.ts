import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainJob, type TrainJob } from '../../jobs/trainjob/index.js';
import { waitFor } from '../../jobs/test-support/test-engine.js';
import { makeTempDir } from '../../test-support/real-parts.js';
import { adaptTrainJob, AdaptError, clusterName, JOB_ID_LABEL, PATCH_MANAGER, workspaceScript } from './manifest-adapt.js';
import { archiveWorkspace } from './workspace-archive.js';
import { listWorkspaceFiles } from './workspace-files.js';

const JOB_ID = 'mfx0a1b2c-3d4';

function job(extra = ''): TrainJob {
  const parsed = parseTrainJob(
    `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: mnist-ddp
  labels: { team: vision }
spec:
  runtimeRef: { name: torch-distributed }
  trainer:
    image: pytorch/pytorch:2.7.1
    command: [torchrun, --nproc-per-node=2, train.py]
    args: [--epochs, "3"]
    numNodes: 2
${extra}`,
    'trainjob.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.job;
}

const spec = (m: Record<string, unknown>) => m['spec'] as Record<string, unknown> & { trainer: { command: string[]; args?: string[]; image?: string } };

describe('adaptTrainJob', () => {
  it('names the TrainJob per run, sets the namespace and our labels, keeps the user\'s', () => {
    const { manifest, name } = adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'team-a', api: 'v2.2+', ship: { mode: 'configMap', configMap: 'cm' } });
    expect(name).toBe(`mnist-ddp-${JOB_ID}`);
    expect(manifest['metadata']).toEqual({
      name,
      namespace: 'team-a',
      labels: { team: 'vision', [JOB_ID_LABEL]: JOB_ID, 'app.kubernetes.io/managed-by': 'kubeflow-desktop' },
      annotations: { 'kubeflow-desktop/source-name': 'mnist-ddp' },
    });
    // JobSet refuses names whose pods' names (<name>-node-<job>-<index>-<5 random>) would pass 63 characters.
    expect(`${clusterName('a'.repeat(63), JOB_ID)}-node-0-99-abcde`.length).toBeLessThanOrEqual(63);
    expect(clusterName('abc-'.repeat(10), JOB_ID)).not.toMatch(/--/);
  });

  it('puts the workspace volumes where each Trainer generation takes pod patches', () => {
    const ship = { mode: 'hostPath', hostPath: '/home/me/ws' } as const;
    const volumes = [{ name: 'kfd-workspace', hostPath: { path: '/home/me/ws', type: 'Directory' } }];
    const containers = [{ name: 'node', volumeMounts: [{ name: 'kfd-workspace', mountPath: '/workspace' }] }];
    const v20 = spec(adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'ns', api: 'v2.0', ship }).manifest);
    expect(v20['podSpecOverrides']).toEqual([{ targetJobs: [{ name: 'node' }], volumes, containers }]);
    const v21 = spec(adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'ns', api: 'v2.1', ship }).manifest);
    expect(v21['podTemplateOverrides']).toEqual([{ targetJobs: [{ name: 'node' }], metadata: { labels: { [JOB_ID_LABEL]: JOB_ID } }, spec: { volumes, containers } }]);
    const v22 = spec(adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship }).manifest);
    expect(v22['runtimePatches']).toEqual([
      {
        manager: PATCH_MANAGER,
        trainingRuntimeSpec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: { metadata: { labels: { [JOB_ID_LABEL]: JOB_ID } }, spec: { volumes, containers } } } } }] } } },
      },
    ]);
    for (const s of [v20, v21, v22]) expect(Object.keys(s).filter((k) => /Overrides|Patches/.test(k))).toHaveLength(1);
  });

  it('keeps the user\'s own runtime patches and replaces an earlier one of ours', () => {
    const extra = `  runtimePatches:
    - manager: example.com/team
      trainingRuntimeSpec: { template: { spec: { replicatedJobs: [{ name: node, template: { spec: { template: { spec: { nodeSelector: { pool: a100 } } } } } }] } } }
    - manager: ${PATCH_MANAGER}
`;
    const s = spec(adaptTrainJob({ job: job(extra), jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship: { mode: 'image', image: 'r/x:1' } }).manifest);
    const patches = s['runtimePatches'] as { manager: string }[];
    expect(patches.map((p) => p.manager)).toEqual(['example.com/team', PATCH_MANAGER]);
  });

  it('runs the user\'s command unchanged after the workspace step; args stay as they are', () => {
    const s = spec(adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship: { mode: 'configMap', configMap: 'cm' } }).manifest);
    expect(s.trainer.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(s.trainer.command.slice(3)).toEqual(['kfd-workspace', 'torchrun', '--nproc-per-node=2', 'train.py']);
    expect(s.trainer.args).toEqual(['--epochs', '3']);
    const img = spec(adaptTrainJob({ job: job(), jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship: { mode: 'image', image: 'r/ws:1' } }).manifest);
    expect(img.trainer.image).toBe('r/ws:1');
    expect(img['runtimePatches']).toEqual([expect.objectContaining({ manager: PATCH_MANAGER })]);
  });

  it('refuses ConfigMap shipping without a command (the runtime\'s command would run before the unpack)', () => {
    const parsed = parseTrainJob('apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: { name: x }\nspec:\n  runtimeRef: { name: torch-distributed }\n', 'trainjob.yaml');
    if (!parsed.ok) throw new Error('fixture');
    expect(() => adaptTrainJob({ job: parsed.job, jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship: { mode: 'configMap', configMap: 'cm' } })).toThrow(AdaptError);
    const hostPath = adaptTrainJob({ job: parsed.job, jobId: JOB_ID, namespace: 'ns', api: 'v2.2+', ship: { mode: 'hostPath', hostPath: '/w' } });
    expect(hostPath.notes.join(' ')).toMatch(/runtime's command runs/);
  });
});

describe('workspaceScript (run by the real sh, tar and python3)', () => {
  async function unpackWith(pathDirs: string): Promise<string> {
    const src = makeTempDir('k8s', 'script-src');
    fs.mkdirSync(path.join(src, 'pkg'));
    fs.writeFileSync(path.join(src, 'pkg', 'mod.py'), 'X = 1\n');
    fs.writeFileSync(path.join(src, 'train.py'), 'print(1)\n');
    const archive = await archiveWorkspace(src, await listWorkspaceFiles(src));
    const tmp = makeTempDir('k8s', 'script-run');
    const file = path.join(tmp, 'workspace.tar.gz');
    fs.writeFileSync(file, archive.bytes);
    const ws = path.join(tmp, 'workspace');
    fs.mkdirSync(ws);
    const script = workspaceScript('configMap', { workspace: ws, archive: file });
    return execFileSync('/bin/sh', ['-c', script, 'kfd-workspace', '/bin/sh', '-c', 'pwd; ls -R'], { encoding: 'utf8', env: { PATH: pathDirs } });
  }

  it('unpacks the archive into the workspace and execs the command there', async () => {
    const out = await unpackWith('/usr/bin:/bin');
    expect(out).toMatch(/\/workspace\n/);
    expect(out).toContain('train.py');
    expect(out).toContain('mod.py');
  });

  it('falls back to python3 when the image has no tar', async () => {
    // A PATH with sh, ls, pwd and python3 but no tar.
    const bin = makeTempDir('k8s', 'notar');
    for (const tool of ['ls', 'pwd']) fs.symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    fs.symlinkSync('/usr/bin/python3', path.join(bin, 'python3'));
    const out = await unpackWith(bin);
    expect(out).toContain('train.py');
    expect(out).toContain('mod.py');
  });
});

describe('the rank launcher (run by the real sh)', () => {
  const ws = () => makeTempDir('k8s', 'ranks');
  const PRINT = ['/bin/sh', '-c', 'echo "$RANK $LOCAL_RANK $WORLD_SIZE $LOCAL_WORLD_SIZE $MASTER_ADDR $MASTER_PORT"'];
  const run = (pet: Record<string, string>, command: string[] = PRINT) =>
    spawnSync('/bin/sh', ['-c', workspaceScript('hostPath', { workspace: ws(), archive: '' }, true), 'kfd-workspace', ...command], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...pet } });
  const PET = { PET_NNODES: '2', PET_NPROC_PER_NODE: '2', PET_NODE_RANK: '1', PET_MASTER_ADDR: 'ddp-node-0-0.ddp', PET_MASTER_PORT: '29500' };

  it('starts every rank of the node with the env contract local runs give', () => {
    const r = run(PET);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['2 0 4 2 ddp-node-0-0.ddp 29500', '3 1 4 2 ddp-node-0-0.ddp 29500']);
  });

  it('runs the command once, unchanged, for one process in all, a count that is not a number, or RANK already set', () => {
    expect(run({ PET_NNODES: '1', PET_NPROC_PER_NODE: '1' }).stdout).toBe('     \n');
    expect(run({ ...PET, PET_NPROC_PER_NODE: 'auto' }).stdout).toBe('     \n');
    expect(run({ ...PET, RANK: '7' }).stdout).toBe('7     \n');
  });

  it('a failing rank stops the others and its exit code is the pod\'s', () => {
    const started = Date.now();
    const r = run({ ...PET, PET_NODE_RANK: '0' }, ['/bin/sh', '-c', 'if [ "$LOCAL_RANK" = 1 ]; then exit 3; fi; exec sleep 30']);
    expect(r.status).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('SIGTERM (a cancel) reaches every rank', async () => {
    const dir = ws();
    const child = spawn('/bin/sh', ['-c', workspaceScript('hostPath', { workspace: dir, archive: '' }, true), 'kfd-workspace', '/bin/sh', '-c', 'trap "echo stopped-$LOCAL_RANK > $LOCAL_RANK.txt; exit 143" TERM; echo up > up-$LOCAL_RANK; while :; do sleep 0.1; done'], { env: { PATH: '/usr/bin:/bin', ...PET } });
    await waitFor('both ranks up', () => fs.existsSync(path.join(dir, 'up-0')) && fs.existsSync(path.join(dir, 'up-1')), 10_000);
    const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await code).toBe(143);
    expect(fs.readFileSync(path.join(dir, '0.txt'), 'utf8')).toBe('stopped-0\n');
    expect(fs.readFileSync(path.join(dir, '1.txt'), 'utf8')).toBe('stopped-1\n');
  });

  it('is used for plain commands, not for torchrun (which starts the ranks from PET_* itself)', () => {
    const adapt = (command: string[]) => {
      const parsed = parseTrainJob(`apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: {name: t}\nspec:\n  runtimeRef: {name: torch-distributed}\n  trainer:\n    command: ${JSON.stringify(command)}\n    numProcPerNode: 2\n`, 'trainjob.yaml');
      if (!parsed.ok) throw new Error('fixture');
      return adaptTrainJob({ job: parsed.job, jobId: 'abc123', namespace: 'default', api: 'v2.2+', ship: { mode: 'hostPath', hostPath: '/ws' } });
    };
    const script = (a: ReturnType<typeof adapt>) => ((a.manifest['spec'] as { trainer: { command: string[] } }).trainer.command[2]!);
    expect(script(adapt(['python3', 'train.py']))).toContain('LOCAL_RANK=');
    expect(script(adapt(['torchrun', '--nproc-per-node=2', 'train.py']))).not.toContain('LOCAL_RANK=');
    expect(adapt(['python3', 'train.py']).notes.join(' ')).toContain('once per process with RANK, WORLD_SIZE and LOCAL_RANK set as in local runs');
    expect(adapt(['torchrun', '--nproc-per-node=2', 'train.py']).notes.join(' ')).not.toContain('once per process');
  });
});

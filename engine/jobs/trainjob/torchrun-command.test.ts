import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTorchrunCommand, rankArgv } from './torchrun-command.js';

const words = (line: string) => line.split(/\s+/).filter(Boolean);

describe('parseTorchrunCommand: plain launcher forms', () => {
  it('torchrun with underscore options and script args', () => {
    const cmd = parseTorchrunCommand(words('torchrun --nproc_per_node=2 train.py --lr 0.1'));
    expect(cmd).toMatchObject({ launcher: 'torchrun', nprocPerNode: 2, standalone: false, ignored: [] });
    expect(cmd?.script).toEqual(['python3', '-u', 'train.py', '--lr', '0.1']);
  });

  it('multi-node, dash spelling, "--a b" form', () => {
    const cmd = parseTorchrunCommand(words('torchrun --nnodes 2 --nproc-per-node 4 --node-rank 1 --master-addr 10.0.0.1 --master-port 29501 train.py'));
    expect(cmd).toMatchObject({ nnodes: 2, nprocPerNode: 4, nodeRank: 1, masterAddr: '10.0.0.1', masterPort: 29501 });
    expect(cmd?.script).toEqual(['python3', '-u', 'train.py']);
  });

  it('--standalone with a word for nproc', () => {
    const cmd = parseTorchrunCommand(words('torchrun --standalone --nnodes=1 --nproc-per-node=gpu train.py'));
    expect(cmd).toMatchObject({ standalone: true, nnodes: 1, nprocPerNode: 'gpu' });
  });

  it('elastic rendezvous options (the PyTorch docs example)', () => {
    const cmd = parseTorchrunCommand(
      words('torchrun --nnodes=1:4 --nproc-per-node=8 --max-restarts=3 --rdzv-id=456 --rdzv-backend=c10d --rdzv-endpoint=node1.example.com:29400 train.py --epochs=5'),
    );
    expect(cmd).toMatchObject({ nnodesRange: [1, 4], nprocPerNode: 8, maxRestarts: 3, rdzvId: '456', rdzvBackend: 'c10d', rdzvEndpoint: 'node1.example.com:29400' });
    expect(cmd?.nnodes).toBeUndefined();
    expect(cmd?.script).toEqual(['python3', '-u', 'train.py', '--epochs=5']);
  });

  it('"2:2" is a fixed node count', () => {
    expect(parseTorchrunCommand(words('torchrun --nnodes=2:2 t.py'))?.nnodes).toBe(2);
  });

  it('-m module targets keep their own options', () => {
    const cmd = parseTorchrunCommand(words('torchrun --nproc-per-node=2 -m pkg.train --config cfg.yaml -v'));
    expect(cmd?.script).toEqual(['python3', '-u', '-m', 'pkg.train', '--config', 'cfg.yaml', '-v']);
  });

  it('python -m torch.distributed.run uses that interpreter, after interpreter options', () => {
    const cmd = parseTorchrunCommand(words('/usr/bin/python3 -u -X dev -m torch.distributed.run --nproc_per_node 2 --module pkg.mod'));
    expect(cmd).toMatchObject({ launcher: 'torch.distributed.run', nprocPerNode: 2 });
    expect(cmd?.script).toEqual(['/usr/bin/python3', '-u', '-m', 'pkg.mod']);
  });

  it('torch.distributed.launch passes --local_rank unless --use-env', () => {
    const legacy = parseTorchrunCommand(words('python -m torch.distributed.launch --nproc_per_node=2 train.py --bs 8'))!;
    expect(legacy.launcher).toBe('torch.distributed.launch');
    expect(rankArgv(legacy, 1)).toEqual(['python', '-u', 'train.py', '--local_rank=1', '--bs', '8']);
    const withEnv = parseTorchrunCommand(words('python3 -m torch.distributed.launch --use_env --nproc_per_node=2 train.py'))!;
    expect(withEnv.localRankArgAt).toBeUndefined();
    expect(rankArgv(withEnv, 1)).toEqual(['python3', '-u', 'train.py']);
  });

  it('--no-python runs the target directly', () => {
    expect(parseTorchrunCommand(words('torchrun --nproc-per-node=2 --no-python bash run.sh x'))?.script).toEqual(['bash', 'run.sh', 'x']);
  });

  it('reports launcher-only options as ignored, verbatim', () => {
    const cmd = parseTorchrunCommand(words('torchrun --log-dir /tmp/logs -r 3 -t3 --monitor_interval=1 --role trainer --rdzv-conf timeout=900 train.py'));
    expect(cmd?.ignored).toEqual(['--log-dir=/tmp/logs', '--redirects=3', '--tee=3', '--monitor-interval=1', '--role=trainer', '--rdzv-conf=timeout=900']);
    expect(cmd?.script).toEqual(['python3', '-u', 'train.py']);
  });

  it('an unknown flag right before the script is not mistaken for an option with a value', () => {
    const cmd = parseTorchrunCommand(words('torchrun --some-new-flag train.py --x 1'));
    expect(cmd?.ignored).toEqual(['--some-new-flag']);
    expect(cmd?.script).toEqual(['python3', '-u', 'train.py', '--x', '1']);
  });

  it('"--" separates options from the script', () => {
    expect(parseTorchrunCommand(words('torchrun --nproc-per-node=2 -- train.py'))?.script).toEqual(['python3', '-u', 'train.py']);
  });

  it('uses the configured interpreter for bare torchrun', () => {
    expect(parseTorchrunCommand(['/opt/venv/bin/torchrun', 'train.py'], { python: '/usr/bin/python3' })?.script).toEqual(['/usr/bin/python3', '-u', 'train.py']);
  });

  it.each([
    [['python3', 'train.py']],
    [['python', '-m', 'pkg.train']],
    [['bash', '-c', 'python3 train.py']],
    [['accelerate', 'launch', 'train.py']],
    [[]],
  ])('returns null for %j', (argv) => {
    expect(parseTorchrunCommand(argv)).toBeNull();
  });

  it.each([
    ['torchrun --nproc-per-node=2', /no training script/],
    ['torchrun --nproc-per-node=two t.py', /--nproc-per-node expects a whole number/],
    ['torchrun --nnodes=4:1 t.py', /--nnodes expects N or MIN:MAX/],
    ['torchrun --master-port', /needs a value/],
    ['torchrun --no-python -m pkg', /cannot be used together/],
  ])('rejects %s', (line, message) => {
    expect(() => parseTorchrunCommand(words(line))).toThrow(message);
  });
});

// The Kubeflow SDK's CustomTrainer command for torch runtimes (kubeflow/sdk constants.TORCH_COMMAND):
// bash -c with the function source in a here-document, written to a file, then `torchrun "<file>"`.
const sdkScript = (entry: string, file: string) =>
  [
    '',
    "read -r -d '' SCRIPT << EOM",
    '',
    'def train():',
    '    import os',
    '    device=os.environ.get("RANK")',
    '    print("rank", os.environ["RANK"], "of", os.environ["WORLD_SIZE"])',
    '',
    'train()',
    '',
    'EOM',
    `printf "%s" "$SCRIPT" > "${file}"`,
    `${entry} "${file}"`,
  ].join('\n');

describe('parseTorchrunCommand: bash -c scripts', () => {
  it('the Kubeflow SDK form: the preamble runs once per node, ranks run the written file', () => {
    const cmd = parseTorchrunCommand(['bash', '-c', sdkScript('torchrun', 'train_fn.py')])!;
    expect(cmd.launcher).toBe('torchrun');
    expect(cmd.script).toEqual(['python3', '-u', 'train_fn.py']);
    expect(cmd.setup?.slice(0, 2)).toEqual(['bash', '-c']);
    expect(cmd.setup?.[2]).toContain('printf "%s" "$SCRIPT" > "train_fn.py"');
    expect(cmd.setup?.[2]).not.toContain('torchrun');
  });

  it('the SDK form really produces a runnable rank (setup once, then the rank command)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kfd-torchrun-'));
    try {
      const cmd = parseTorchrunCommand(['bash', '-c', sdkScript('torchrun', 'fn.py')])!;
      const setup = spawnSync(cmd.setup![0]!, cmd.setup!.slice(1), { cwd: dir, encoding: 'utf8' });
      expect(setup.status).toBe(0);
      const rank = spawnSync(cmd.script[0]!, cmd.script.slice(1), { cwd: dir, encoding: 'utf8', env: { ...process.env, RANK: '1', WORLD_SIZE: '2' } });
      expect(rank.stdout.trim()).toBe('rank 1 of 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an older SDK form with $program_path runs the whole script per rank, launcher replaced by exec python', () => {
    const script = ['program_path=$(mktemp -d)', "read -r -d '' SCRIPT << EOM", 'print(1)', 'EOM', 'printf "%s" "$SCRIPT" > "$program_path/ephemeral_script.py"', 'torchrun "$program_path/ephemeral_script.py"'].join('\n');
    const cmd = parseTorchrunCommand(['bash', '-c', script])!;
    expect(cmd.setup).toBeUndefined();
    expect(cmd.script[0]).toBe('bash');
    expect(cmd.script[2]).toMatch(/\nexec python3 -u "\$program_path\/ephemeral_script.py"$/);
  });

  it('"cd dir && torchrun …" keeps the cd for each rank', () => {
    const cmd = parseTorchrunCommand(['/bin/sh', '-c', 'cd /workspace && torchrun --nproc_per_node=2 train.py --lr 0.1'])!;
    expect(cmd.nprocPerNode).toBe(2);
    expect(cmd.script).toEqual(['/bin/sh', '-c', 'cd /workspace &&\nexec python3 -u train.py --lr 0.1']);
  });

  it('pip install then python -m torch.distributed.launch, with exec and the legacy --local_rank', () => {
    const cmd = parseTorchrunCommand(['bash', '-lc', 'pip install -q foo\nexec python -m torch.distributed.launch --nproc_per_node=2 train.py "--data=$DATA"'])!;
    expect(cmd.launcher).toBe('torch.distributed.launch');
    expect(cmd.script[2]).toBe('pip install -q foo\nexec python -u train.py "--local_rank=$LOCAL_RANK" "--data=$DATA"');
  });

  it('a stateless preamble without expansions becomes setup', () => {
    const cmd = parseTorchrunCommand(['bash', '-c', 'echo starting\ntorchrun --standalone --nproc-per-node=2 train.py\n\n'])!;
    expect(cmd).toMatchObject({ setup: ['bash', '-c', 'echo starting'], script: ['python3', '-u', 'train.py'], standalone: true });
  });

  it('returns null when the last command is not a launcher, or is piped', () => {
    expect(parseTorchrunCommand(['bash', '-c', 'torchrun train.py\necho done'])).toBeNull();
    expect(parseTorchrunCommand(['bash', '-c', 'torchrun train.py | tee log'])).toBeNull();
    expect(parseTorchrunCommand(['bash', '-c', 'torchrun "unbalanced'])).toBeNull();
    expect(parseTorchrunCommand(['bash', 'run.sh'])).toBeNull();
  });
});

/** Workspaces for job tests: template copies and small generated ones (trainjob.yaml + train.py). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Copies templates/<name> into `dir` (a fresh temp dir) and returns it. */
export function copyTemplate(name: string, dir: string): string {
  fs.cpSync(path.join(REPO_ROOT, 'templates', name), dir, { recursive: true });
  return dir;
}

export function trainJobYaml(name: string, shape: { numNodes?: number; numProcPerNode?: number } = {}): string {
  return [
    'apiVersion: trainer.kubeflow.org/v1alpha1',
    'kind: TrainJob',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  runtimeRef:',
    '    name: torch-distributed',
    '  trainer:',
    '    command: ["python3", "train.py"]',
    `    numNodes: ${shape.numNodes ?? 1}`,
    `    numProcPerNode: ${shape.numProcPerNode ?? 2}`,
    '',
  ].join('\n');
}

/** Writes trainjob.yaml + train.py into `dir` and returns it. */
export function writeWorkspace(dir: string, name: string, script: string, shape: { numNodes?: number; numProcPerNode?: number } = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'trainjob.yaml'), trainJobYaml(name, shape));
  fs.writeFileSync(path.join(dir, 'train.py'), script);
  return dir;
}

/** Every rank prints `line <rank> <i>` and `step=<i> loss=<x>` every `everyMs`, `count` times. */
export function tickerScript(count: number, everyMs: number, exitCode = 0): string {
  return [
    'import os, sys, time',
    'rank = int(os.environ["RANK"])',
    `for i in range(${count}):`,
    '    print(f"line {rank} {i}", flush=True)',
    '    print(f"step={i} loss={1.0 / (i + 1 + rank):.5f}", flush=True)',
    `    time.sleep(${everyMs / 1000})`,
    `sys.exit(${exitCode} if rank == 1 else 0)`,
    '',
  ].join('\n');
}

/** Rank 1 raises (exit code 1, a traceback on stderr); the other ranks sleep until stopped. */
export const RAISING_SCRIPT = [
  'import os, time',
  'if os.environ["RANK"] == "1":',
  '    print("rank 1 about to fail", flush=True)',
  '    raise ValueError("boom from rank 1")',
  'print("rank 0 waiting", flush=True)',
  'time.sleep(60)',
  '',
].join('\n');

export const SLEEPING_SCRIPT = 'import time\nprint("sleeping", flush=True)\ntime.sleep(60)\n';
export const MISSING_MODULE_SCRIPT = 'import kfd_no_such_module_xyz\n';

/**
 * A workspace for experiment tests: train.py reads --lr/--alpha/--layers and OPTIMIZER and prints
 * `accuracy=<x>` a few times (Katib's default metrics format); the value peaks at lr=0.01, so
 * better trials are recognisable. No vitest import: bench uses it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { experimentYaml } from './experiment-yaml.js';

export const TUNE_SCRIPT = `
import argparse, math, os, sys, time
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float); p.add_argument("--alpha", type=float); p.add_argument("--layers", type=int)
a = p.parse_args()
steps = int(os.environ.get("STEPS", "3"))
pause = float(os.environ.get("PAUSE", "0.05"))
if os.environ.get("FAIL") == "1":
    sys.exit(3)
final = 1.0 - abs(math.log10(a.lr) + 2) / 3 - 0.05 * a.alpha
for s in range(1, steps + 1):
    print(f"step={s} accuracy={final * s / steps:.6f}", flush=True)
    time.sleep(pause)
`;

export function writeTuneWorkspace(dir: string, o: Parameters<typeof experimentYaml>[0] & { env?: Record<string, string> } = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'train.py'), TUNE_SCRIPT);
  let yaml = experimentYaml(o);
  if (o.env) {
    const extra = Object.entries(o.env).map(([k, v]) => `            - name: ${k}\n              value: "${v}"`).join('\n');
    yaml = yaml.replace('            - name: OPTIMIZER\n', `${extra}\n            - name: OPTIMIZER\n`);
  }
  fs.writeFileSync(path.join(dir, 'experiment.yaml'), yaml);
  return dir;
}

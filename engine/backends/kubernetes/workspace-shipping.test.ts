import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/real-parts.js';
import { chooseShipping, CONFIGMAP_LIMIT_BYTES, configMapSizeCheck } from './shipping.js';
import { archiveWorkspace } from './workspace-archive.js';
import { listWorkspaceFiles } from './workspace-files.js';

function tree(files: Record<string, string>): string {
  const root = makeTempDir('k8s', 'files');
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), body);
  }
  return root;
}

describe('workspace files shipped to a cluster', () => {
  it('honours .gitignore and .kfdignore at every level; .kfdignore can bring back what git ignores', async () => {
    const root = tree({
      '.gitignore': '*.log\ncheckpoints/\n/secret.env\n',
      '.kfdignore': 'data/\n!keep.log\n',
      'train.py': 'x',
      'run.log': 'l',
      'keep.log': 'k',
      'secret.env': 's',
      'sub/secret.env': 'nested: the root-anchored rule does not apply',
      'data/big.csv': 'd',
      'checkpoints/c.pt': 'c',
      'pkg/.gitignore': 'gen_*.py\n',
      'pkg/gen_a.py': 'g',
      'pkg/model.py': 'm',
      'node_modules/x/index.js': 'n',
      '.git/HEAD': 'h',
      '__pycache__/a.pyc': 'p',
    });
    fs.symlinkSync('/etc/passwd', path.join(root, 'link'));
    const listing = await listWorkspaceFiles(root);
    expect(listing.files.map((f) => f.path)).toEqual(['.gitignore', '.kfdignore', 'keep.log', 'pkg/.gitignore', 'pkg/model.py', 'sub/secret.env', 'train.py']);
    expect(listing.symlinks).toEqual(['link']);
    expect(listing.totalBytes).toBe(listing.files.reduce((n, f) => n + f.bytes, 0));
    expect(listing.ignored).toBeGreaterThanOrEqual(7);
  });

  it('the archive is the same bytes for the same files (times do not matter) and unpacks with tar', async () => {
    const root = tree({ 'train.py': 'print(1)\n', 'lib/util.py': 'U = 2\n' });
    fs.chmodSync(path.join(root, 'train.py'), 0o755);
    const a = await archiveWorkspace(root, await listWorkspaceFiles(root));
    fs.utimesSync(path.join(root, 'lib/util.py'), new Date(2020, 1, 1), new Date(2020, 1, 1));
    const b = await archiveWorkspace(root, await listWorkspaceFiles(root));
    expect(b.sha256).toBe(a.sha256);
    const out = makeTempDir('k8s', 'untar');
    fs.writeFileSync(path.join(out, 'w.tgz'), a.bytes);
    execFileSync('tar', ['-xzf', 'w.tgz'], { cwd: out });
    expect(fs.readFileSync(path.join(out, 'lib/util.py'), 'utf8')).toBe('U = 2\n');
    expect(fs.statSync(path.join(out, 'train.py')).mode & 0o111).not.toBe(0);
    fs.writeFileSync(path.join(root, 'train.py'), 'print(2)\n');
    expect((await archiveWorkspace(root, await listWorkspaceFiles(root))).sha256).not.toBe(a.sha256);
  });
});

describe('chooseShipping', () => {
  const base = { workspace: '/home/me/ws/mnist', workspaceRoot: '/home/me/ws', archiveBytes: 10_000, registry: null };
  it('a local cluster uses the workspace in place when it is under the mounted folder', () => {
    expect(chooseShipping({ ...base, requested: 'auto', localCluster: true }).mode).toBe('hostPath');
    const outside = chooseShipping({ ...base, workspace: '/tmp/ws', requested: 'auto', localCluster: true });
    expect(outside.mode).toBe('configMap');
    expect(outside.why).toMatch(/\/tmp\/ws is not under \/home\/me\/ws/);
    expect(chooseShipping({ ...base, workspace: '/home/me/wsx', requested: 'hostPath', localCluster: true }).refusal).toMatch(/not under/);
  });
  it('remote: ConfigMap up to the limit, then an image, which needs a registry', () => {
    expect(chooseShipping({ ...base, requested: 'auto', localCluster: false }).mode).toBe('configMap');
    const big = chooseShipping({ ...base, archiveBytes: CONFIGMAP_LIMIT_BYTES + 1, requested: 'auto', localCluster: false });
    expect(big.mode).toBe('image');
    expect(big.refusal).toMatch(/1,048,577 bytes, over the 1,048,576-byte ConfigMap limit, and no image registry is set/);
    expect(chooseShipping({ ...base, archiveBytes: CONFIGMAP_LIMIT_BYTES + 1, requested: 'auto', localCluster: false, registry: 'registry.local:5000' }).refusal).toBeNull();
    // The local cluster gets images by kind load: no registry needed.
    expect(chooseShipping({ ...base, workspaceRoot: null, archiveBytes: CONFIGMAP_LIMIT_BYTES + 1, requested: 'auto', localCluster: true }).refusal).toBeNull();
    expect(chooseShipping({ ...base, requested: 'hostPath', localCluster: false }).refusal).toMatch(/only a local cluster mounts/);
  });
  it('the size refusal gives the byte counts and what to do', () => {
    expect(configMapSizeCheck(CONFIGMAP_LIMIT_BYTES, 3, 5)).toBeNull();
    expect(configMapSizeCheck(2_345_678, 120, 9_000_000)).toBe(
      'The workspace archive is 2,345,678 bytes (gzip of 120 files, 9,000,000 bytes), but a ConfigMap holds at most 1,048,576 bytes. List large files (data, checkpoints) in .kfdignore, or ship the workspace in an image (shipping: image, with an image registry set for this target).',
    );
  });
});

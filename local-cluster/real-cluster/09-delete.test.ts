/**
 * `kfd cluster delete` (cluster.delete) on the suite's real cluster leaves nothing behind: no
 * node container, none of their volumes (each node keeps /var in one), no kind network once no
 * other cluster uses it, no record or kubeconfig. Runs last: the files run in name order.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../engine/jobs/test-support/test-engine.js';
import { KIND_CLUSTER_LABEL, KIND_NETWORK } from '../cli/docker-cli.js';
import { clusterDir } from '../cluster-record.js';
import { kindSuite, suiteEngine } from './suite.js';

const s = kindSuite();
const docker = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter((l) => l.trim());

if (s.ready) {
  describe('delete leaves nothing behind', () => {
    it('no node container, volume or record; the kind network goes with the last cluster', async () => {
      const nodes = docker(['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}=${s.name}`, '--format', '{{.Names}}']);
      expect(nodes).toEqual([`${s.name}-control-plane`]);
      const volumes = nodes.flatMap((n) => docker(['inspect', n, '--format', '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{"\\n"}}{{end}}{{end}}']));
      expect(volumes.length).toBeGreaterThan(0);
      const te = suiteEngine(s);
      try {
        const { operationId } = await te.call('cluster.delete', { name: s.name });
        const op = await waitFor('delete to end', async () => {
          const o = await te.call('cluster.operation', { id: operationId });
          return o && o.status !== 'running' ? o : null;
        }, 180_000, 500);
        expect(op.status).toBe('succeeded');
        expect(docker(['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}=${s.name}`, '--format', '{{.Names}}'])).toEqual([]);
        const left = docker(['volume', 'ls', '--format', '{{.Name}}']);
        expect(volumes.filter((v) => left.includes(v))).toEqual([]);
        // The kind network goes with the last cluster; another kind cluster on this machine (the
        // e2e's may be up at the same time) keeps it.
        expect(op.steps[0]!.detail).toMatch(/^nodes and their volumes removed/);
        const network = docker(['network', 'ls', '--filter', `name=^${KIND_NETWORK}$`, '--format', '{{.Name}}']);
        if (op.steps[0]!.detail.includes('the kind network too')) expect(network).toEqual([]);
        else expect(docker(['ps', '-a', '--filter', `network=${KIND_NETWORK}`, '--format', '{{.Names}}']).length + docker(['ps', '-a', '--filter', `label=${KIND_CLUSTER_LABEL}`, '--format', '{{.Names}}']).length).toBeGreaterThan(0);
        expect(fs.existsSync(clusterDir(s.dataDir, s.name))).toBe(false);
        expect((await te.call('cluster.status', {})).clusters.map((c) => c.name)).not.toContain(s.name);
      } finally {
        await te.close();
      }
    });
  });
}

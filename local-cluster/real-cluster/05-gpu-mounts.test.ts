/**
 * GPU passthrough's kind config, as the app generates it on a GPU machine (the planner with the
 * two GPUs fake-nvidia-smi reports and a host that is ready for them), is accepted by the node
 * image: kind starts the node with nvkind's /dev/null mount under
 * /var/run/nvidia-container-devices and the nvidia.com/gpu.present label, and the node becomes
 * Ready. No GPU exists here, so nothing uses the mount; the GPU steps after kind (toolkit, device
 * plugin) stay tested with fakes (create-cluster.fake.test.ts).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteTestCluster, kindEnv, testClusters } from '../../e2e/kind-node/kind-node.js';
import { parseNvidiaSmi } from '../../engine/doctor/checks/nvidia-smi-parse.js';
import { TWO_GPUS } from '../../engine/doctor/test-support/fake-nvidia-smi.js';
import { makeTempDir } from '../../engine/test-support/real-parts.js';
import { kindCreate, kindVersion } from '../cli/kind-cli.js';
import { createRunner } from '../cli/runner.js';
import { planCreate } from '../create-plan.js';
import { GPU_PRESENT_LABEL, NVIDIA_DEVICES_DIR } from '../kind-config.js';
import { NODE_POD_NETWORK_LABEL } from '../node-images.js';
import { dockerCgroupV1 } from '../service/machine-facts.js';
import { kindSuite } from './suite.js';

const s = kindSuite();
const name = `kfd-test-gpu-${process.pid}`;

afterAll(() => {
  if (testClusters().includes(name)) deleteTestCluster(name);
});

if (s.ready) {
  describe('GPU passthrough config on the real node image', () => {
    it('kind starts a node with nvkind\'s device mount and label, and it becomes Ready', async () => {
      const env = kindEnv();
      const dir = makeTempDir('kind', 'gpu');
      const runner = createRunner(env, dir, new AbortController().signal, null);
      const kubeconfig = path.join(dir, 'kubeconfig');
      const plan = planCreate(
        { name, workers: 0, gpus: 'all', nodeImage: s.nodeImage },
        {
          kindVersion: await kindVersion(runner),
          gpus: parseNvidiaSmi(TWO_GPUS.join('\n')),
          hostGpu: { ready: true, problems: [] },
          kubeconfigPath: kubeconfig,
          cgroupV1: await dockerCgroupV1(env),
          nodeImageLabels: { [NODE_POD_NETWORK_LABEL]: 'built-in' },
        },
      );
      expect(plan.gpu.enabled).toBe(true);
      expect(plan.kind.config.nodes[0]!.extraMounts).toEqual([{ hostPath: '/dev/null', containerPath: `${NVIDIA_DEVICES_DIR}/all` }]);
      await kindCreate(runner, name, plan.kind.yaml, kubeconfig, 240, () => undefined);

      const node = `${name}-control-plane`;
      expect(execFileSync('docker', ['exec', node, 'stat', '-c', '%t:%T', `${NVIDIA_DEVICES_DIR}/all`], { encoding: 'utf8', env }).trim()).toBe('1:3'); // /dev/null
      const n = JSON.parse(execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'node', node, '-o', 'json'], { encoding: 'utf8', env })) as {
        metadata: { labels: Record<string, string> };
        status: { conditions: { type: string; status: string }[] };
      };
      expect(n.metadata.labels[GPU_PRESENT_LABEL]).toBe('true');
      expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    });
  });
}

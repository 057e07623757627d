/**
 * kind's failure text → what the user should do. kind's own words stay in the message; this
 * only adds the fix for the failures people actually hit.
 */
import { PREPARE_FIX } from './assets/asset-store.js';

export function kindFailureFix(error: string, cluster: string): string {
  if (/node\(s\) already exist for a cluster with the name/i.test(error)) {
    return `A cluster named "${cluster}" already exists: delete it with \`kfd cluster delete --name ${cluster}\`, or pick another --name`;
  }
  if (/failed to pull image|pull access denied|manifest unknown|no such host|dial tcp/i.test(error)) {
    return `The kind node image could not be pulled (offline?). ${PREPARE_FIX}`;
  }
  if (/Cannot connect to the Docker daemon|failed to connect to the docker API|docker.sock|Is the docker daemon running/i.test(error)) {
    return 'Start Docker (sudo systemctl start docker, or start Docker Desktop), then try again';
  }
  if (/port is already allocated|address already in use/i.test(error)) return 'A host port the cluster maps is in use: stop the program using it';
  if (/unable to decode config|unknown field|field .* not found/i.test(error)) return 'The kind config was rejected: report this with the output of `kfd cluster create --dry-run`';
  if (/kubelet is not healthy|failed to init node with kubeadm/i.test(error)) {
    return 'kubeadm could not start the control plane: export the logs (`kfd cluster logs`) and check free memory/disk; on cgroup v1 hosts use an older node image';
  }
  return '';
}

/**
 * What a GPU node needs after kind made it, the nvkind way (each script runs in the node with
 * `docker exec`): the NVIDIA Container Toolkit inside the node, containerd's default runtime set
 * to nvidia, and the /proc/driver/nvidia patch (unmask it for MIG discovery; stop nvidia-smi in
 * the node from re-creating device nodes; drop device nodes of GPUs this node was not given).
 * Pure: the scripts are data, so tests read them and dry runs print them.
 */
export const TOOLKIT_DIR_IN_NODE = '/kfd/nvidia-toolkit';

/** Installs the toolkit from the .deb files prepare copied (offline), unless the node has it. */
export function toolkitInstallScript(): string {
  return [
    'set -e',
    'if command -v nvidia-ctk >/dev/null 2>&1; then echo "nvidia-ctk already in the node"; exit 0; fi',
    `ls ${TOOLKIT_DIR_IN_NODE}/*.deb >/dev/null 2>&1 || { echo "no NVIDIA Container Toolkit packages in ${TOOLKIT_DIR_IN_NODE}" >&2; exit 3; }`,
    `dpkg -i ${TOOLKIT_DIR_IN_NODE}/*.deb`,
  ].join('\n');
}

export function containerdRuntimeScript(): string {
  return ['set -e', 'nvidia-ctk runtime configure --runtime=containerd --set-as-default', 'systemctl restart containerd'].join('\n');
}

/** `allGpus`: every host GPU index; `visible`: this node's ('all' for every GPU). */
export function procDriverPatchScript(allGpus: number[], visible: number[] | 'all'): string {
  const lines = [
    'set -e',
    'umount -R /proc/driver/nvidia || true',
    'cp /proc/driver/nvidia/params /root/gpu-params',
    "sed -i 's/^ModifyDeviceFiles: 1$/ModifyDeviceFiles: 0/' /root/gpu-params",
    'mount --bind /root/gpu-params /proc/driver/nvidia/params',
  ];
  if (visible !== 'all') {
    for (const i of allGpus.filter((g) => !visible.includes(g))) lines.push(`while umount /dev/nvidia${i} 2>/dev/null; do :; done`, `rm -rf /dev/nvidia${i}`);
  }
  return lines.join('\n');
}

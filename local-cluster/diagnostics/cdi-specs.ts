/**
 * CDI specs for NVIDIA GPUs exist on the host. Only asked for when the cluster turns CDI on:
 * the GPU operator's CDI mode and `--device nvidia.com/gpu=...` both look devices up there.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { ok, wantsGpus, type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';

/** The toolkit's default spec-dirs. */
export const CDI_DIRS = ['/etc/cdi', '/var/run/cdi'];
export const FIX = 'sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml';

/** Pure: the CDI `kind` of one spec file's text (YAML or JSON), if it names an NVIDIA device. */
export function nvidiaSpecKind(text: string): string | null {
  try {
    const spec: unknown = parse(text);
    const kind = spec && typeof spec === 'object' ? (spec as { kind?: unknown }).kind : undefined;
    return typeof kind === 'string' && kind.startsWith('nvidia.com/') ? kind : null;
  } catch {
    return null;
  }
}

/** Every NVIDIA spec under `dirs`, as "file (kind)". Missing directories are simply empty. */
export async function findNvidiaSpecs(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => /\.(ya?ml|json)$/.test(n)).sort()) {
      const file = path.join(dir, name);
      const kind = nvidiaSpecKind(await readFile(file, 'utf8').catch(() => ''));
      if (kind) found.push(`${file} (${kind})`);
    }
  }
  return found;
}

export function assessCdiSpecs(found: string[], dirs: string[]): CheckOutcome {
  if (found.length) return ok(`NVIDIA CDI specs: ${found.join(', ')}.`);
  return { status: 'missing', detail: `No NVIDIA CDI spec in ${dirs.join(' or ')}.`, fix: FIX };
}

export const cdiSpecs: ClusterDiagnostic = {
  id: 'cdi-specs',
  title: 'NVIDIA CDI specs',
  applicable: (ctx) => wantsGpus(ctx.cluster) && ctx.cluster.cdi === true,
  run: async () => assessCdiSpecs(await findNvidiaSpecs(CDI_DIRS), CDI_DIRS),
};

/**
 * nvkind's passthrough needs the toolkit to read GPU choices from volume mounts
 * (`/dev/null` at /var/run/nvidia-container-devices/...): that is the top-level
 * `accept-nvidia-visible-devices-as-volume-mounts = true` in the runtime's config.toml.
 */
import { readFile } from 'node:fs/promises';
import { ok, wantsGpus, type CheckOutcome, type ClusterDiagnostic } from './diagnostic.js';

export const TOOLKIT_CONFIG = '/etc/nvidia-container-runtime/config.toml';
export const KEY = 'accept-nvidia-visible-devices-as-volume-mounts';
export const FIX = `sudo nvidia-ctk config --set ${KEY}=true --in-place && sudo systemctl restart docker`;

export interface ToolkitSetting {
  /** null when the key is absent or commented out (the toolkit's default is false). */
  value: boolean | null;
  /** 1-based line of the setting, 0 when absent. */
  line: number;
}

/**
 * Pure: the key's value, read only at the top level (before the first [table]) — the same key
 * inside a table is a different setting. Comments and quoted booleans are handled; other TOML is not needed.
 */
export function parseToolkitSetting(toml: string): ToolkitSetting {
  const lines = toml.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (text.startsWith('[')) break;
    const m = /^"?([A-Za-z0-9_-]+)"?\s*=\s*(.+)$/.exec(text);
    if (m?.[1] === KEY) {
      const raw = (m[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
      return { value: raw === 'true' ? true : raw === 'false' ? false : null, line: i + 1 };
    }
  }
  return { value: null, line: 0 };
}

export function assessToolkitSetting(s: ToolkitSetting, file = TOOLKIT_CONFIG): CheckOutcome {
  if (s.value === true) return ok(`${KEY} = true in ${file} (line ${s.line}).`);
  const where = s.line ? `is ${s.value === false ? 'false' : 'not a boolean'} at ${file}:${s.line}` : `is not set in ${file} (default false)`;
  return { status: 'missing', detail: `${KEY} ${where}; GPUs cannot be passed to kind nodes.`, fix: FIX };
}

export async function checkToolkitConfig(file: string): Promise<CheckOutcome> {
  try {
    return assessToolkitSetting(parseToolkitSetting(await readFile(file, 'utf8')), file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return { status: 'missing', detail: `${file} does not exist: the NVIDIA Container Toolkit is not installed.`, fix: `Install nvidia-container-toolkit, then: ${FIX}` };
    }
    return { status: 'warning', detail: `Cannot read ${file}: ${code ?? (e as Error).message}`, fix: `sudo chmod a+r ${file}` };
  }
}

export const nvidiaToolkitConfig: ClusterDiagnostic = {
  id: 'nvidia-toolkit-config',
  title: 'NVIDIA toolkit volume-mount setting',
  applicable: (ctx) => wantsGpus(ctx.cluster),
  run: () => checkToolkitConfig(TOOLKIT_CONFIG),
};

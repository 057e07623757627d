/** kind's commands, with the app-private kubeconfig (kind otherwise writes ~/.kube/config). */
import { cleanKindLine } from '../kind-progress.js';
import type { Runner } from './runner.js';

export async function kindVersion(r: Runner): Promise<string> {
  const out = await r.run('kind', ['version'], { quiet: true });
  return /\bv\d+\.\d+\.\d+\S*/.exec(out.stdout)?.[0] ?? out.stdout.trim();
}

export async function kindClusters(r: Runner): Promise<string[]> {
  const out = await r.run('kind', ['get', 'clusters'], { quiet: true });
  return out.stdout.split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('No kind clusters'));
}

export function createArgs(name: string, kubeconfig: string, waitSeconds: number): string[] {
  return ['create', 'cluster', '--name', name, '--config', '-', '--kubeconfig', kubeconfig, '--wait', `${waitSeconds}s`];
}

/** kind's lines go to the step log without emoji and spinner redraws (cleanKindLine), and to `onLine` raw. */
export async function kindCreate(r: Runner, name: string, configYaml: string, kubeconfig: string, waitSeconds: number, onLine: (line: string) => void): Promise<void> {
  await r.run('kind', createArgs(name, kubeconfig, waitSeconds), {
    input: configYaml,
    quiet: true,
    onLine: (l) => {
      const clean = cleanKindLine(l);
      if (clean) r.log(clean);
      onLine(l);
    },
  });
}

export async function kindDelete(r: Runner, name: string, kubeconfig: string): Promise<void> {
  await r.run('kind', ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig]);
}

export async function kindExportLogs(r: Runner, name: string, dir: string): Promise<void> {
  await r.run('kind', ['export', 'logs', dir, '--name', name]);
}

export async function kindLoadImages(r: Runner, name: string, images: string[], nodes: string[] = []): Promise<void> {
  await r.run('kind', ['load', 'docker-image', '--name', name, ...(nodes.length ? ['--nodes', nodes.join(',')] : []), ...images]);
}

/** The cluster's kubeconfig as kind would write it (for export/merge on request). */
export async function kindKubeconfig(r: Runner, name: string): Promise<string> {
  return (await r.run('kind', ['get', 'kubeconfig', '--name', name], { quiet: true })).stdout;
}

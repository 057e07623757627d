/**
 * A model server's folder, `<dataDir>/models/servers/<id>/`: the job's workspace. It holds the
 * model (hard links to the registered copy, or copies across file systems), MLServer's
 * settings.json and model-settings.json, `kfd-serving.json` (the versions it must serve with),
 * `kfd_serve.py` and the InferenceService it stands for. The same folder works as a process's
 * working directory and bound at /workspace in a container, since every path in it is relative.
 */
import { copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVE_SCRIPT } from './python-scripts.js';

export const MODEL_DIR = 'model';

export function serversDirOf(dataDir: string): string {
  return path.join(dataDir, 'models', 'servers');
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    await copyFile(from, to);
  }
}

export interface ServerFiles {
  settings: Record<string, unknown>;
  modelSettings: Record<string, unknown>;
  /** {packages: {name: version}, server: [distribution]} for kfd_serve.py. */
  serving: { packages: Record<string, string>; server: string[] };
  inferenceServiceYaml: string;
}

/** Writes (or rewrites, on restart) the folder; the model files are linked in once. */
export async function writeServerFolder(dir: string, artifact: { localPath: string; files: string[] }, files: ServerFiles): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const f of artifact.files) await linkOrCopy(path.join(artifact.localPath, f), path.join(dir, MODEL_DIR, f));
  await writeFile(path.join(dir, 'settings.json'), `${JSON.stringify(files.settings, null, 2)}\n`);
  await writeFile(path.join(dir, 'model-settings.json'), `${JSON.stringify(files.modelSettings, null, 2)}\n`);
  await writeFile(path.join(dir, 'kfd-serving.json'), `${JSON.stringify(files.serving, null, 2)}\n`);
  await writeFile(path.join(dir, 'kfd_serve.py'), SERVE_SCRIPT.trimStart());
  await writeFile(path.join(dir, 'inferenceservice.yaml'), files.inferenceServiceYaml);
}

/**
 * The JobSet and Trainer controller images a real local cluster runs, built here (no registry
 * is reachable) from the binaries the k8s test harness builds from the pinned Go modules, and
 * tagged with exactly the references the rendered release manifests use — read from the
 * manifests the app renders itself (module cache + `kubectl kustomize`), never written here.
 * Each image is what upstream's Dockerfile makes: the static manager binary at /manager, user
 * 65532, ENTRYPOINT ["/manager"] (upstream's base is distroless/static; scratch is enough for a
 * static binary that only talks to the API server). An image is rebuilt only when its binary
 * changed (the binary's sha256 is a label).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imagesOf, parseDocs } from '../../local-cluster/addons/manifests.js';
import { fetchModule, readGoEnv } from '../../local-cluster/assets/module-source.js';
import { JOBSET, TRAINER } from '../../local-cluster/assets/pins.js';
import { renderAddonManifests } from '../../local-cluster/assets/render-manifests.js';
import { harnessCacheDir } from '../k8s-harness/harness.js';

export const BINARY_LABEL = 'io.kubeflow-desktop.test.binary-sha256';

export interface ControllerImage {
  role: 'jobset' | 'trainer';
  ref: string;
  binary: string;
  /** false: an image with this binary was already there. */
  built: boolean;
}

/** The controller image references of the pinned releases, from the manifests as the app renders them. */
export async function controllerImageRefs(env: NodeJS.ProcessEnv): Promise<{ jobset: string; trainer: string }> {
  const kubectl = path.join(harnessCacheDir(), 'bin', 'kubectl');
  const goEnv = await readGoEnv(env);
  const [trainer, jobset] = await Promise.all([fetchModule(TRAINER, goEnv), fetchModule(JOBSET, goEnv)]);
  const rendered = await renderAddonManifests({ trainer, jobset }, kubectl, { env });
  const one = (refs: string[], what: string) => {
    if (refs.length !== 1) throw new Error(`expected one ${what} image in the rendered manifests, found: ${refs.join(', ') || 'none'}`);
    return refs[0]!;
  };
  return { jobset: one(imagesOf(parseDocs(rendered.jobset)), 'JobSet'), trainer: one(imagesOf(parseDocs(rendered.trainer)), 'Trainer') };
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function labelOf(ref: string, env: NodeJS.ProcessEnv): string | null {
  try {
    return execFileSync('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${BINARY_LABEL}"}}`, ref], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/** Builds (or keeps) both controller images under the given references. */
export function ensureControllerImages(refs: { jobset: string; trainer: string }, env: NodeJS.ProcessEnv = process.env): ControllerImage[] {
  const bin = path.join(harnessCacheDir(), 'bin');
  const wanted = [
    { role: 'jobset' as const, ref: refs.jobset, binary: path.join(bin, 'jobset') },
    { role: 'trainer' as const, ref: refs.trainer, binary: path.join(bin, 'trainer-controller-manager') },
  ];
  return wanted.map((w) => {
    if (!fs.existsSync(w.binary)) throw new Error(`${w.binary} is not built; run: e2e/k8s-harness/build.sh --stage 2`);
    const sum = sha256File(w.binary);
    if (labelOf(w.ref, env) === sum) return { ...w, built: false };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfd-${w.role}-image-`));
    try {
      fs.copyFileSync(w.binary, path.join(dir, 'manager'));
      fs.chmodSync(path.join(dir, 'manager'), 0o755);
      fs.writeFileSync(
        path.join(dir, 'Dockerfile'),
        ['FROM scratch', 'COPY manager /manager', 'USER 65532:65532', `LABEL ${BINARY_LABEL}=${sum} io.kubeflow-desktop.test.built-from=${path.basename(w.binary)}`, 'ENTRYPOINT ["/manager"]', ''].join('\n'),
      );
      // The legacy builder: the docker CLI may lack the buildx plugin, and nothing here needs BuildKit.
      execFileSync('docker', ['build', '-q', '-t', w.ref, dir], { env: { ...env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return { ...w, built: true };
  });
}

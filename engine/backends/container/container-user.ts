/**
 * Who a node container's ranks run as. On a rootful engine root in the container is root on the
 * host, so files a job writes into the bind-mounted /workspace would belong to root; the ranks
 * run as the workspace folder's owner (uid:gid) instead, with a HOME they can write to (pip
 * --user, caches), unless the job needs the image's own user. Decided in this order:
 *
 * 1. `kubeflow-desktop/container-user` annotation: "image" (the image's user, root by default)
 *    or "host" (the workspace owner) — the user's word wins.
 * 2. A rootless engine (rootless Docker or Podman): the image's user. Root in the container is
 *    the user outside already; another uid would map to a subordinate id and own the files.
 * 3. The image names a USER: that user (the image was built to run as it).
 * 4. The node's commands install system packages (apt-get, dnf, yum, apk, …): root, which they need.
 * 5. The workspace is root's own: root.
 * 6. Otherwise: the workspace owner.
 * Pure.
 */
export const USER_ANNOTATION = 'kubeflow-desktop/container-user';
/** HOME for a uid the image has no account for (the engine would give it "/", not writable). */
export const RANK_HOME = '/tmp/kfd-home';

export interface ContainerUserInput {
  annotations: Record<string, string> | undefined;
  rootlessEngine: boolean;
  /** The image's Config.User ('' = root). */
  imageUser: string;
  /** The workspace folder's owner on the host. */
  owner: { uid: number; gid: number };
  /** Every command line the node runs (setup and ranks). */
  commands: readonly (readonly string[])[];
}

export interface ContainerUser {
  /** The engine's User ("1000:1000"); null = the image's own. */
  user: string | null;
  /** HOME to set, for a host uid the image does not know. */
  home: string | null;
  /** Why, in a few words (kept on the container as a label). */
  why: string;
}

const PACKAGE_MANAGER = /(^|[\s;&|(`])(sudo\s+)?(apt-get|apt|aptitude|dnf|microdnf|yum|apk|zypper|pacman)\s+(-\S+\s+)*(install|add|update|upgrade|remove|-S)\b/;

export function installsSystemPackages(commands: readonly (readonly string[])[]): boolean {
  return commands.some((argv) => PACKAGE_MANAGER.test(argv.join(' ')));
}

/** Throws a message naming the annotation when its value is not one we know. */
export function containerUser(input: ContainerUserInput): ContainerUser {
  const image: ContainerUser = { user: null, home: null, why: '' };
  const host: ContainerUser = { user: `${input.owner.uid}:${input.owner.gid}`, home: RANK_HOME, why: 'the workspace owner' };
  const asked = input.annotations?.[USER_ANNOTATION];
  if (asked !== undefined) {
    if (asked === 'image') return { ...image, why: `${USER_ANNOTATION}: image` };
    if (asked === 'host') return { ...host, why: `${USER_ANNOTATION}: host` };
    throw new Error(`metadata.annotations["${USER_ANNOTATION}"] is "${asked}"; use "host" (run as the workspace owner) or "image" (the image's own user)`);
  }
  if (input.rootlessEngine) return { ...image, why: 'rootless engine: root in the container is the user outside' };
  if (input.imageUser && !/^(0|root)(:.*)?$/.test(input.imageUser)) return { ...image, why: `the image runs as ${input.imageUser}` };
  if (installsSystemPackages(input.commands)) return { ...image, why: 'the commands install system packages, which needs root' };
  if (input.owner.uid === 0) return { ...image, why: 'the workspace belongs to root' };
  return host;
}

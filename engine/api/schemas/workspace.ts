/**
 * Workspaces as the API shows them: folders opened in the editor, their files, templates, and
 * what the editor needs to validate trainjob.yaml as the user types (pure zod; the renderer
 * imports the types). Every file path is relative to the workspace root, "/"-separated.
 */
import { z } from 'zod';
import { backendChoice, backendId, specIssue } from './jobs.js';

/** Files above this open read-only (and only their first part is sent). */
export const MAX_EDITABLE_BYTES = 2 * 1024 * 1024;

const absPath = z.string().min(1).max(4096);
/** A path inside the workspace: relative, "/"-separated, no "..". Checked again by the engine. */
const relPath = z.string().min(1).max(4096);
/** The `root` that `workspace.open` / `workspace.create` answered with. */
const root = z.string().min(1).max(4096);

export const workspaceInfo = z.object({
  /** The folder's real path (symlinks resolved): the handle for every other call. */
  root: z.string(),
  name: z.string(),
  /** Whether trainjob.yaml is at the top of the folder. */
  hasJobFile: z.boolean(),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfo>;

export const recentWorkspace = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.number(),
  /** False when the folder was moved or deleted since. */
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof recentWorkspace>;

export const templateInfo = z.object({
  id: z.string(),
  title: z.string(),
  /** The README's first paragraph. */
  description: z.string(),
  files: z.array(z.string()),
});
export type TemplateInfo = z.infer<typeof templateInfo>;

export const fileEntry = z.object({
  path: z.string(),
  kind: z.enum(['file', 'dir', 'other']),
  size: z.number(),
  mtimeMs: z.number(),
  /** A symbolic link (never followed into: a linked folder is listed, not walked). */
  symlink: z.boolean(),
  /** A folder the tree does not walk: node_modules, .git, __pycache__, virtualenvs, caches. */
  skipped: z.boolean(),
});
export type FileEntry = z.infer<typeof fileEntry>;

export const fileContent = z.object({
  path: z.string(),
  text: z.string(),
  /** Changes whenever the file's content does; `workspace.write` compares it. */
  etag: z.string(),
  mtimeMs: z.number(),
  size: z.number(),
  readOnly: z.boolean(),
  readOnlyReason: z.enum(['binary', 'large']).nullable(),
  /** Only the first MAX_EDITABLE_BYTES were sent. */
  truncated: z.boolean(),
});
export type FileContent = z.infer<typeof fileContent>;

export const fileChange = z.object({
  path: z.string(),
  kind: z.enum(['add', 'change', 'unlink', 'addDir', 'unlinkDir']),
});
export type FileChange = z.infer<typeof fileChange>;

/** Where the Run button can send the job: a backend, and for Kubernetes one context. */
export const runTarget = z.object({
  id: z.string(),
  backend: backendId,
  label: z.string(),
  available: z.boolean(),
  /** Why it cannot be used now, in the words `jobs.run` would use. */
  reason: z.string().nullable(),
});
export type RunTarget = z.infer<typeof runTarget>;

export const runtimeInfo = z.object({
  name: z.string(),
  description: z.string(),
  /** `builtin`: what Kubeflow Trainer ships; `cluster`: read from the target. */
  source: z.enum(['builtin', 'cluster']),
});
export type RuntimeInfo = z.infer<typeof runtimeInfo>;

const empty = z.object({}).strict();
const validation = z.object({ ok: z.boolean(), errors: z.array(specIssue), warnings: z.array(specIssue) });

export const workspaceMethods = {
  /** Opens a folder (or the folder of a file): watched for changes, added to the recent list. */
  'workspace.open': { input: z.object({ path: absPath }).strict(), output: workspaceInfo },
  /** Stops watching a workspace. */
  'workspace.close': { input: z.object({ root }).strict(), output: z.object({ closed: z.boolean() }) },
  'workspace.recent': { input: empty, output: z.array(recentWorkspace) },
  /** The folder browser: sub-folders of a folder under home (default: home); hidden ones on request. */
  'workspace.folders': {
    input: z.object({ path: absPath.optional(), showHidden: z.boolean().default(false) }).strict(),
    output: z.object({
      path: z.string(),
      home: z.string(),
      parent: z.string().nullable(),
      folders: z.array(z.object({ name: z.string(), path: z.string(), hidden: z.boolean() })),
      truncated: z.boolean(),
    }),
  },
  'workspace.forget': { input: z.object({ path: absPath }).strict(), output: z.array(recentWorkspace) },
  'workspace.templates': { input: empty, output: z.array(templateInfo) },
  /** A new workspace from a template; a non-empty `dir` is refused unless `force` (then existing files are kept). */
  'workspace.create': {
    input: z.object({ template: z.string().min(1), dir: absPath, force: z.boolean().default(false) }).strict(),
    output: z.object({ workspace: workspaceInfo, template: z.string(), copied: z.array(z.string()), skipped: z.array(z.string()) }),
  },
  'workspace.tree': {
    input: z.object({ root }).strict(),
    output: z.object({ entries: z.array(fileEntry), truncated: z.boolean() }),
  },
  'workspace.read': { input: z.object({ root, path: relPath }).strict(), output: fileContent },
  /**
   * Saves a file. `etag` is what `workspace.read` gave (null = a new file): when the file changed
   * on disk since, the answer is a `conflict` error unless `force`.
   */
  'workspace.write': {
    input: z
      .object({ root, path: relPath, text: z.string(), etag: z.string().nullable(), force: z.boolean().default(false) })
      .strict(),
    output: z.object({ path: z.string(), etag: z.string(), mtimeMs: z.number(), size: z.number() }),
  },
  'workspace.rename': {
    input: z.object({ root, from: relPath, to: relPath }).strict(),
    output: z.object({ from: z.string(), to: z.string() }),
  },
  /** Deletes a file, or a folder with everything in it. */
  'workspace.delete': { input: z.object({ root, path: relPath }).strict(), output: z.object({ path: z.string() }) },
  'workspace.mkdir': { input: z.object({ root, path: relPath }).strict(), output: z.object({ path: z.string() }) },
  /** trainjob.yaml text as typed (not yet saved), checked exactly as `jobs.run` would check it. */
  'workspace.validateJob': {
    input: z.object({ text: z.string(), backend: backendChoice.default('local-process') }).strict(),
    output: validation,
  },
  /** The TrainJob JSON schema for the editor (hovers, completion), with the runtimes `target` knows. */
  'workspace.jobSchema': {
    input: z.object({ target: z.string().optional() }).strict(),
    output: z.object({ schema: z.record(z.string(), z.unknown()), runtimes: z.array(runtimeInfo) }),
  },
  /** Where a job can run, each with whether it can now and why not. */
  'workspace.targets': { input: empty, output: z.array(runTarget) },
} as const;

export const workspaceEvents = {
  /** Files changed in an open workspace (debounced); `overflow`: too many to list, re-read the tree. */
  'workspace.changed': z.object({ root: z.string(), changes: z.array(fileChange), overflow: z.boolean() }),
} as const;

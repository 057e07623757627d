/**
 * Starter workspaces: `templates/<id>/` with a README.md whose first heading and paragraph
 * describe it. Creating one copies every file; the job's metadata.name becomes the folder's name
 * when that is a valid TrainJob name, so two workspaces from one template are told apart.
 */
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScalar, parseDocument } from 'yaml';
import { ApiError } from '../api/api-error.js';
import type { TemplateInfo } from '../api/schemas/workspace.js';

/** Shown first, in this order; any other template follows alphabetically. */
const PREFERRED = ['python-basic', 'pytorch-ddp', 'sklearn', 'notebook-starter', 'hpo-sklearn'];
const NOT_COPIED = new Set(['__pycache__', '.ipynb_checkpoints', '.DS_Store']);
const JOB_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** KFD_TEMPLATES_DIR, then beside a packaged app (resources/templates), then the source tree. */
export function templatesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KFD_TEMPLATES_DIR) return path.resolve(env.KFD_TEMPLATES_DIR);
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(path.join(resources, 'templates'))) return path.join(resources, 'templates');
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return path.join(dir, 'templates');
    if (path.dirname(dir) === dir) return path.resolve('templates');
  }
}

/** Title and first paragraph of a README (markdown headings and line breaks removed). */
export function describeReadme(text: string, fallback: string): { title: string; description: string } {
  const lines = text.split(/\r?\n/);
  const heading = lines.findIndex((l) => /^#\s+/.test(l));
  const title = heading >= 0 ? lines[heading]!.replace(/^#\s+/, '').trim() : fallback;
  const rest = lines.slice(heading + 1);
  const start = rest.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  const paragraph: string[] = [];
  for (const line of start >= 0 ? rest.slice(start) : []) {
    if (line.trim() === '' || line.startsWith('#')) break;
    paragraph.push(line.trim());
  }
  return { title, description: paragraph.join(' ') };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (NOT_COPIED.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

export async function listTemplates(dir: string): Promise<TemplateInfo[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const rank = (n: string) => (PREFERRED.includes(n) ? PREFERRED.indexOf(n) : PREFERRED.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: TemplateInfo[] = [];
  for (const id of names) {
    const readme = await readFile(path.join(dir, id, 'README.md'), 'utf8').catch(() => null);
    if (readme === null) continue; // a folder without a README is not a template
    out.push({ id, ...describeReadme(readme, id), files: await listFiles(path.join(dir, id)) });
  }
  return out;
}

/** Sets metadata.name in trainjob.yaml by replacing just that value: every other byte stays. */
export function renameJob(yamlText: string, name: string): string {
  if (!JOB_NAME.test(name) || name.length > 63) return yamlText;
  const doc = parseDocument(yamlText);
  const node = doc.errors.length ? null : doc.getIn(['metadata', 'name'], true);
  if (!isScalar(node) || !node.range) return yamlText;
  return yamlText.slice(0, node.range[0]) + name + yamlText.slice(node.range[1]);
}

export interface CreateResult {
  copied: string[];
  /** Files that already existed in the folder and were kept (only with `force`). */
  skipped: string[];
}

export async function createFromTemplate(dir: string, template: string, target: string, force: boolean): Promise<CreateResult> {
  const known = await listTemplates(dir);
  const found = known.find((t) => t.id === template);
  if (!found) {
    const names = known.map((t) => t.id).join(', ') || '(none found)';
    throw new ApiError('not_found', `There is no template "${template}". Templates: ${names}.`);
  }
  if (!path.isAbsolute(target)) throw new ApiError('bad_request', `The new workspace's folder must be an absolute path; got "${target}".`);
  const existing = await lstat(target).catch(() => null);
  if (existing && !existing.isDirectory()) throw new ApiError('conflict', `${target} exists and is a file; choose a folder.`);
  const contents = existing ? await readdir(target) : [];
  if (contents.length > 0 && !force) {
    throw new ApiError(
      'conflict',
      `${target} is not empty (${contents.length} entries). Choose an empty or new folder, or add the template's files to it anyway (--force keeps every file already there).`,
    );
  }
  const copied: string[] = [];
  const skipped: string[] = [];
  const jobName = path.basename(target).toLowerCase();
  for (const rel of found.files) {
    const from = path.join(dir, template, ...rel.split('/'));
    const to = path.join(target, ...rel.split('/'));
    if (await lstat(to).then(() => true, () => false)) {
      skipped.push(rel);
      continue;
    }
    await mkdir(path.dirname(to), { recursive: true });
    if (rel === 'trainjob.yaml') await writeFile(to, renameJob(await readFile(from, 'utf8'), jobName), { flag: 'wx' });
    else await copyFile(from, to);
    copied.push(rel);
  }
  return { copied, skipped };
}

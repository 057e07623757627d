import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTrainJob } from '../jobs/trainjob/parse-trainjob.js';
import { REPO_ROOT } from '../jobs/test-support/workspaces.js';
import { createFromTemplate, describeReadme, listTemplates, renameJob, templatesDir } from './templates.js';
import { tempWorkspace, type TempWorkspace } from './test-support.js';

const dir = path.join(REPO_ROOT, 'templates');

function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(root).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(path.join(root, name)).isDirectory() ? filesUnder(path.join(root, name), rel) : [rel];
  });
}

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

describe('templates', () => {
  it('finds the shipped templates in order, each with a title and description from its README', async () => {
    expect(templatesDir({})).toBe(dir);
    expect(templatesDir({ KFD_TEMPLATES_DIR: t.root })).toBe(t.root);
    const list = await listTemplates(dir);
    expect(list.map((x) => x.id).slice(0, 4)).toEqual(['python-basic', 'pytorch-ddp', 'sklearn', 'notebook-starter']);
    for (const x of list) {
      expect(x.title).toBe(x.id);
      expect(x.description.length).toBeGreaterThan(40);
      // Pipeline templates are a pipeline.py (compiled and run by engine/pipelines/template-sklearn.test.ts).
      expect(x.files).toEqual(expect.arrayContaining(x.id.startsWith('pipeline-') ? ['README.md', 'pipeline.py'] : ['README.md', 'train.py', 'trainjob.yaml']));
    }
    expect(list.find((x) => x.id === 'notebook-starter')!.files).toContain('explore.ipynb');
  });

  it('describeReadme takes the first heading and the paragraph after it', () => {
    expect(describeReadme('# demo\n\nFirst line\nsecond line.\n\n## More\ntext', 'x')).toEqual({ title: 'demo', description: 'First line second line.' });
    expect(describeReadme('no heading here', 'fallback')).toEqual({ title: 'fallback', description: 'no heading here' });
  });

  it.each(['python-basic', 'pytorch-ddp', 'sklearn', 'notebook-starter'])('creating from %s copies every file', async (id) => {
    const target = path.join(t.base, 'new', `my-${id}`);
    const result = await createFromTemplate(dir, id, target, false);
    const expected = filesUnder(path.join(dir, id)).filter((f) => !f.includes('__pycache__')).sort();
    expect(result.copied.sort()).toEqual(expected);
    expect(result.skipped).toEqual([]);
    expect(filesUnder(target).sort()).toEqual(expected);
    for (const rel of expected.filter((f) => f !== 'trainjob.yaml')) {
      expect(readFileSync(path.join(target, rel), 'utf8')).toBe(readFileSync(path.join(dir, id, rel), 'utf8'));
    }
    // The job is named after the folder; nothing else in the file changes.
    const yaml = readFileSync(path.join(target, 'trainjob.yaml'), 'utf8');
    const parsed = parseTrainJob(yaml);
    expect(parsed.ok && parsed.job.metadata.name).toBe(`my-${id}`);
    const original = readFileSync(path.join(dir, id, 'trainjob.yaml'), 'utf8');
    expect(yaml).toBe(original.replace(/^  name: .*$/m, `  name: my-${id}`));
  });

  it('refuses a non-empty folder unless asked, and then keeps the files already there', async () => {
    const target = path.join(t.base, 'existing');
    mkdirSync(target);
    writeFileSync(path.join(target, 'train.py'), 'mine\n');
    await expect(createFromTemplate(dir, 'python-basic', target, false)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('is not empty'),
    });
    const result = await createFromTemplate(dir, 'python-basic', target, true);
    expect(result.skipped).toEqual(['train.py']);
    expect(result.copied.sort()).toEqual(['README.md', 'trainjob.yaml']);
    expect(readFileSync(path.join(target, 'train.py'), 'utf8')).toBe('mine\n');
  });

  it('explains an unknown template, a relative folder and a file in the way', async () => {
    await expect(createFromTemplate(dir, 'tensorflow', path.join(t.base, 'x'), false)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/no template "tensorflow".*python-basic, pytorch-ddp/),
    });
    await expect(createFromTemplate(dir, 'sklearn', 'relative/dir', false)).rejects.toMatchObject({ code: 'bad_request' });
    writeFileSync(path.join(t.base, 'file'), '');
    await expect(createFromTemplate(dir, 'sklearn', path.join(t.base, 'file'), true)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('renameJob keeps comments and leaves invalid names alone', () => {
    const text = '# top\nmetadata:\n  name: old # the name\nspec: {}\n';
    expect(renameJob(text, 'new-name')).toBe('# top\nmetadata:\n  name: new-name # the name\nspec: {}\n');
    expect(renameJob(text, '2fast')).toBe(text);
    expect(renameJob(text, 'My_Dir')).toBe(text);
  });
});

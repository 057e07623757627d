/**
 * Notebook → job through the API: the script and manifest land beside the notebook, a
 * hand-written trainjob.yaml is never overwritten, and the job really runs (local processes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython } from '../jobs/test-support/parts.js';
import { NotebookHarness, notebookWith, tempDir } from './test-support.js';

describe.runIf(hasPython())('notebook → job', () => {
  let h: NotebookHarness;
  beforeAll(() => {
    h = new NotebookHarness();
  });
  afterAll(() => h?.close());

  async function finished(id: string): Promise<{ status: string }> {
    for (let i = 0; i < 300; i++) {
      const job = await h.call('jobs.get', { id });
      if (['Complete', 'Failed', 'Cancelled'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('job did not finish');
  }

  it('writes <name>.py and trainjob.yaml beside the notebook and runs the job', async () => {
    const root = tempDir('tojob');
    fs.mkdirSync(path.join(root, 'exp'));
    fs.writeFileSync(path.join(root, 'exp', 'Explore Data.ipynb'), JSON.stringify(notebookWith('%matplotlib inline\nx = 3', { markdown: 'm' }, 'print(f"step=1 loss={1 / x:.3f}")', 'print("not chosen")')));
    const r = await h.call('notebooks.toJob', { root, path: 'exp/Explore Data.ipynb', cells: [0, 2] });
    expect(r).toMatchObject({ script: 'exp/Explore_Data.py', jobFile: 'exp/trainjob.yaml' });
    expect(r.job.name).toBe('explore-data');
    expect(r.job.workspace).toBe(fs.realpathSync(path.join(root, 'exp')));
    const script = fs.readFileSync(path.join(root, 'exp', 'Explore_Data.py'), 'utf8');
    expect(script).toContain('# %matplotlib inline');
    expect(script).not.toContain('not chosen');
    expect((await finished(r.job.id)).status).toBe('Complete');
    const logs = await h.call('jobs.logs', { id: r.job.id });
    expect(logs.lines.map((l: { text: string }) => l.text)).toContain('step=1 loss=0.333');

    // Converting again replaces our own files.
    const again = await h.call('notebooks.toJob', { root, path: 'exp/Explore Data.ipynb' });
    expect(again.jobFile).toBe('exp/trainjob.yaml');
    expect(fs.readFileSync(path.join(root, 'exp', 'Explore_Data.py'), 'utf8')).toContain('not chosen');
  }, 60_000);

  it('never overwrites a hand-written trainjob.yaml or script', async () => {
    const root = tempDir('tojob-keep');
    const mine = 'apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: mine\n';
    fs.writeFileSync(path.join(root, 'trainjob.yaml'), mine);
    fs.writeFileSync(path.join(root, 'nb.ipynb'), JSON.stringify(notebookWith('print("hi")')));
    const r = await h.call('notebooks.toJob', { root, path: 'nb.ipynb' });
    expect(r.jobFile).toBe('nb.trainjob.yaml');
    expect(fs.readFileSync(path.join(root, 'trainjob.yaml'), 'utf8')).toBe(mine);
    expect((await finished(r.job.id)).status).toBe('Complete');

    fs.writeFileSync(path.join(root, 'train.py'), 'print("my own")\n');
    fs.writeFileSync(path.join(root, 'train.ipynb'), JSON.stringify(notebookWith('print("x")')));
    await expect(h.call('notebooks.toJob', { root, path: 'train.ipynb' })).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(path.join(root, 'train.py'), 'utf8')).toBe('print("my own")\n');
  }, 60_000);
});

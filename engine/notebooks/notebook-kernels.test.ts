/**
 * Kernels through the API against a real Jupyter server: each output type the UI renders (a
 * real matplotlib PNG included), clear_output(wait), update_display_data, errors with ANSI
 * tracebacks, interrupting a long sleep, and restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookHarness, requireJupyter, tempDir } from './test-support.js';

describe.runIf(requireJupyter())('notebook kernels (real Jupyter)', () => {
  let h: NotebookHarness;
  let sessionId: string;
  let root: string;

  beforeAll(async () => {
    h = new NotebookHarness();
    root = tempDir('ws');
    await h.call('notebooks.create', { root, path: 'sub/explore.ipynb' });
    const info = await h.call('notebooks.startKernel', { root, path: 'sub/explore.ipynb' });
    sessionId = info.sessionId;
    expect(info).toMatchObject({ path: 'sub/explore.ipynb', kernelName: 'python3', language: 'python' });
  }, 120_000);
  afterAll(() => h?.close());

  it('starts the kernel in the notebook\'s folder', async () => {
    const r = await h.run(sessionId, 'import os; print(os.getcwd())');
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: `${fs.realpathSync(path.join(root, 'sub'))}\n` }]);
    expect(r.status).toBe('ok');
    expect(r.executionCount).toBe(1);
  });

  it('streams stdout and stderr, and an execute_result with its count', async () => {
    const r = await h.run(sessionId, 'import sys\nprint("out 1"); print("out 2")\nprint("err", file=sys.stderr)\n6 * 7');
    expect(r.outputs.map((o) => o.output_type)).toEqual(['stream', 'stream', 'execute_result']);
    expect(r.outputs[0]).toMatchObject({ name: 'stdout', text: 'out 1\nout 2\n' });
    expect(r.outputs[1]).toMatchObject({ name: 'stderr', text: 'err\n' });
    expect(r.outputs[2]).toMatchObject({ data: { 'text/plain': '42' }, execution_count: r.executionCount });
    const started = h.seen.filter((e) => e.event === 'notebooks.cellStarted' && (e.payload as any).sessionId === sessionId);
    expect(started.at(-1)?.payload).toMatchObject({ executionCount: r.executionCount });
  });

  it('display_data for html, markdown, javascript, svg, json and a real matplotlib png and jpeg', async () => {
    const r = await h.run(
      sessionId,
      `from IPython.display import display, HTML, Markdown, Javascript, SVG, JSON, Image
import io, matplotlib.pyplot as plt
display(HTML("<b>bold</b>"))
display(Markdown("# Title"))
display(Javascript("document.body.dataset.ran = 'yes'"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'))
display(JSON({"a": [1, 2]}))
fig = plt.figure(figsize=(2, 2)); plt.plot([1, 3, 2]); plt.show()
buf = io.BytesIO(); fig2 = plt.figure(figsize=(1, 1)); fig2.savefig(buf, format="jpeg"); plt.close(fig2)
display(Image(data=buf.getvalue(), format="jpeg"))`,
    );
    expect(r.status).toBe('ok');
    const mimes = r.outputs.map((o) => Object.keys(o.data as object).filter((k) => k !== 'text/plain'));
    expect(mimes).toEqual([['text/html'], ['text/markdown'], ['application/javascript'], ['image/svg+xml'], ['application/json'], ['image/png'], ['image/jpeg']]);
    const png = Buffer.from(String((r.outputs[5]!.data as Record<string, string>)['image/png']), 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(1000);
    const jpeg = Buffer.from(String((r.outputs[6]!.data as Record<string, string>)['image/jpeg']), 'base64');
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect((r.outputs[4]!.data as Record<string, unknown>)['application/json']).toEqual({ a: [1, 2] });
  });

  it('an error ends the cell with status error and an ANSI traceback', async () => {
    const r = await h.run(sessionId, 'def f():\n    raise ValueError("boom")\nf()');
    expect(r.status).toBe('error');
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ output_type: 'error', ename: 'ValueError', evalue: 'boom' });
    const tb = (r.outputs[0]!.traceback as string[]).join('\n');
    expect(tb).toContain('\x1b[');
    expect(tb).toContain('boom');
  });

  it('clear_output(wait=True) replaces the previous output only when the next arrives', async () => {
    const r = await h.run(sessionId, 'from IPython.display import clear_output\nfor i in range(3):\n    clear_output(wait=True)\n    print(f"frame {i}")');
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 2\n' }]);
  });

  it('update_display_data updates the output with that display_id, even in an earlier cell', async () => {
    const first = 'upd-1';
    await h.run(sessionId, 'from IPython.display import display\nhandle = display("v1", display_id=True)', first);
    const r = await h.run(sessionId, 'handle.update("v2"); print("updated")');
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'updated\n' }]);
    const updates = h.seen.filter((e) => e.event === 'notebooks.output' && (e.payload as any).cellId === first);
    expect((updates.at(-1)!.payload as any).output.data['text/plain']).toBe("'v2'");
  });

  it('interrupts a long time.sleep', async () => {
    const cellId = 'sleepy';
    const started = h.waitFor('notebooks.cellStarted', (p) => p.cellId === cellId);
    const done = h.run(sessionId, 'import time\ntime.sleep(120)', cellId);
    await started;
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await h.call('notebooks.interrupt', { sessionId });
    const r = await done;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.status).toBe('error');
    expect(r.outputs[0]).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
    expect((await h.run(sessionId, '1 + 1')).status).toBe('ok'); // the kernel is still usable
  });

  it('restart forgets variables, resets execution counts, and aborts a running cell', async () => {
    await h.run(sessionId, 'x = 41');
    const running = h.run(sessionId, 'import time\ntime.sleep(60)', 'during-restart');
    await h.waitFor('notebooks.cellStarted', (p) => p.cellId === 'during-restart');
    const info = await h.call('notebooks.restart', { sessionId });
    expect(info.sessionId).toBe(sessionId);
    expect((await running).status).toBe('aborted');
    const r = await h.run(sessionId, 'x + 1');
    expect(r.status).toBe('error');
    expect(r.outputs[0]).toMatchObject({ ename: 'NameError' });
    expect(r.executionCount).toBe(1);
  }, 60_000);

  // Jupyter's autorestart used to leave the connection "unknown" about 1 run in 3 (kernel-nudge.ts).
  it('a kernel that dies mid-cell is restarted by Jupyter; the cell is aborted, the next one runs', async () => {
    const statuses: string[] = [];
    let recovered!: () => void;
    const back = new Promise<void>((resolve) => (recovered = resolve));
    const off = h.engine.events.subscribe((event, p: any) => {
      if (event !== 'notebooks.kernelStatus' || p.sessionId !== sessionId) return;
      statuses.push(p.status);
      if (p.status === 'idle' && statuses.includes('autorestarting')) recovered();
    });
    // The previous test ended on an error: ipykernel aborts requests that arrive right after
    // one (stop_on_error), which on a loaded machine could swallow the os._exit below.
    for (let i = 0; i < 5 && (await h.run(sessionId, 'None')).status !== 'ok'; i++);
    const r = await h.run(sessionId, 'import os\nos._exit(1)');
    expect(r.status).toBe('aborted');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no idle after the autorestart within 30 s; statuses: ${statuses.join(', ')}`)), 30_000);
    });
    await Promise.race([back, late]).finally(() => clearTimeout(timer));
    off();
    const next = await h.run(sessionId, 'print("alive")');
    expect(next.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'alive\n' }]);
    expect(next.executionCount).toBe(1);
  }, 60_000);

  it('lists kernelspecs and sessions; shutdown ends the session', async () => {
    const specs = await h.call('notebooks.kernelspecs', {});
    expect(specs.default).toBe('python3');
    expect(specs.specs.map((s: { name: string }) => s.name)).toContain('python3');
    expect((await h.call('notebooks.sessions', {})).map((s: { sessionId: string }) => s.sessionId)).toContain(sessionId);
    await h.call('notebooks.shutdown', { sessionId });
    expect(await h.call('notebooks.sessions', {})).toEqual([]);
    await expect(h.call('notebooks.execute', { sessionId, cellId: 'x', code: '1' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

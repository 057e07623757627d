import { describe, expect, it } from 'vitest';
import type { NotebookContent } from '../../../engine/api/contract';
import { readFrameMessage, renderMessage, textKey, themeMessage } from './frame-messages';
import { externalHref, markdownToHtml } from './markdown';
import { imageSize, imageSrc, pickMime } from './mime';
import { applyOutputEvent, changeType, fromContent, joinText, newCell, splitLines, toContent, withSource } from './notebook-doc';
import { foldText } from './truncate';

const content: NotebookContent = {
  nbformat: 4,
  nbformat_minor: 4,
  metadata: { custom: { keep: 1 } },
  cells: [
    { cell_type: 'code', metadata: { tags: ['x'] }, source: ['a = 1\n', 'b = 2'], outputs: [], execution_count: 3, unknown_field: true },
    { cell_type: 'markdown', metadata: {}, source: '# Title' },
  ],
};

describe('notebook document', () => {
  it('round-trips content untouched when nothing is edited', () => {
    expect(toContent(fromContent(structuredClone(content)))).toEqual(content);
  });

  it('keeps a source\'s form (list of lines or string) when edited', () => {
    const doc = fromContent(structuredClone(content));
    expect(withSource(doc.cells[0]!.cell, 'x = 1\ny').source).toEqual(['x = 1\n', 'y']);
    expect(withSource(doc.cells[1]!.cell, '## New').source).toBe('## New');
    expect(splitLines('a\r\nb\n')).toEqual(['a\r\n', 'b\n']);
    expect(joinText(['a\n', 'b'])).toBe('a\nb');
  });

  it('gives new cells an id only when the notebook format wants one, and converts types', () => {
    expect(newCell('code', false)).toEqual({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: [] });
    expect(newCell('markdown', true).id).toMatch(/^[0-9a-f]{8}$/);
    const md = changeType(fromContent(structuredClone(content)).cells[0]!.cell, 'markdown');
    expect(md).toEqual({ cell_type: 'markdown', metadata: { tags: ['x'] }, source: ['a = 1\n', 'b = 2'], unknown_field: true });
    expect(changeType(md, 'code')).toMatchObject({ outputs: [], execution_count: null });
  });

  it('applies the engine\'s output events', () => {
    let outs = applyOutputEvent([], { op: 'set', sessionId: 's', cellId: 'c', index: 0, output: { output_type: 'stream', name: 'stdout', text: 'a' } });
    outs = applyOutputEvent(outs, { op: 'appendText', sessionId: 's', cellId: 'c', index: 0, text: 'b' });
    expect(outs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'ab' }]);
    expect(applyOutputEvent(outs, { op: 'clear', sessionId: 's', cellId: 'c' })).toEqual([]);
  });
});

describe('MIME choice', () => {
  it('prefers rich representations and falls back to plain text', () => {
    expect(pickMime({ 'text/plain': 'x', 'text/html': '<b>' })).toBe('text/html');
    expect(pickMime({ 'text/plain': '<Figure>', 'image/png': 'AAA' })).toBe('image/png');
    expect(pickMime({ 'text/plain': 'x', 'application/vnd.plotly.v1+json': {} })).toBe('text/plain');
    expect(pickMime({ 'text/markdown': '# x', 'text/plain': 'x' })).toBe('text/markdown');
    expect(pickMime({ 'application/x-unknown': 1 })).toBeNull();
    expect(imageSrc('image/png', ['AAA\n', 'BBB\n'])).toBe('data:image/png;base64,AAABBB');
    expect(imageSize({ 'image/png': { width: 320 } }, 'image/png')).toEqual({ width: 320 });
  });
});

describe('folding long text', () => {
  it('shows everything when short', () => {
    expect(foldText('a\nb', 10, 100)).toEqual({ head: 'a\nb', tail: '', hiddenLines: 0, hiddenChars: 0 });
  });
  it('keeps the beginning and the latest lines of a long output', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const f = foldText(text, 100, 1_000_000);
    expect(f.head.startsWith('line 0\n')).toBe(true);
    expect(f.tail.endsWith('line 999')).toBe(true);
    expect(f.hiddenLines).toBe(900);
  });
  it('caps one enormous line by characters', () => {
    const f = foldText('x'.repeat(10_000), 100, 1000);
    expect(f.head.length + f.tail.length).toBeLessThanOrEqual(1001);
    expect(f.hiddenChars).toBeGreaterThan(8000);
  });
});

describe('markdown and frames', () => {
  it('renders GitHub-flavoured markdown', () => {
    expect(markdownToHtml('# Title\n\n*a* `b`')).toBe('<h1>Title</h1>\n<p><em>a</em> <code>b</code></p>\n');
    expect(markdownToHtml('| a |\n|---|\n| 1 |')).toContain('<table>');
  });
  it('only lets http(s) and mailto links out', () => {
    expect(externalHref('https://kubeflow.org/x')).toBe('https://kubeflow.org/x');
    expect(externalHref('javascript:alert(1)')).toBeNull();
    expect(externalHref('#anchor')).toBeNull();
  });
  it('accepts only the two frame messages and clamps heights', () => {
    expect(readFrameMessage({ type: 'kfd-frame-ready' })).toEqual({ type: 'ready' });
    expect(readFrameMessage({ type: 'kfd-frame-height', height: 123.2 })).toEqual({ type: 'height', height: 124 });
    expect(readFrameMessage({ type: 'kfd-frame-height', height: 1e9 })).toEqual({ type: 'height', height: 2000 });
    expect(readFrameMessage({ type: 'kfd-frame-height', height: 'x' })).toBeNull();
    expect(readFrameMessage('kfd-frame-ready')).toBeNull();
    expect(renderMessage('application/javascript', '1', { dark: true, color: '#fff' })).toEqual({ type: 'kfd-render', js: '1', dark: true, color: '#fff' });
    expect(themeMessage({ dark: false, color: '#000' })).toEqual({ type: 'kfd-theme', dark: false, color: '#000' });
    expect(textKey('<b>a</b>')).not.toBe(textKey('<b>b</b>'));
  });
});

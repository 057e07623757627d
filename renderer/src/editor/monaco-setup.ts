/**
 * Monaco, bundled with the app (no CDN, works offline) and loaded lazily: only the editor core,
 * its standard features and the languages a training workspace needs (Python, YAML, JSON,
 * Markdown, shell). Workers are module workers Vite bundles from ./workers/.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/features/json/register';
import { configureMonacoYaml, type MonacoYaml } from 'monaco-yaml';
import { getYamlSchemas, onYamlSchemas } from './editor-bridge';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(moduleId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_moduleId, label) {
    if (label === 'json') return new Worker(new URL('./workers/json.worker.ts', import.meta.url), { type: 'module', name: 'json' });
    if (label === 'yaml') return new Worker(new URL('./workers/yaml.worker.ts', import.meta.url), { type: 'module', name: 'yaml' });
    return new Worker(new URL('./workers/editor.worker.ts', import.meta.url), { type: 'module', name: 'editor' });
  },
};

// Colours from the app's theme.css, so the editor sits in the page rather than on it.
monaco.editor.defineTheme('kfd-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#1f1f1f', 'editorGutter.background': '#1f1f1f', 'editor.lineHighlightBackground': '#2a2a2b' },
});
monaco.editor.defineTheme('kfd-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editor.lineHighlightBackground': '#f3f3f3' },
});

export function setEditorTheme(resolved: 'light' | 'dark'): void {
  monaco.editor.setTheme(resolved === 'dark' ? 'kfd-dark' : 'kfd-light');
}

interface LegacyWorkerOptions {
  label?: string;
  createData?: unknown;
  host?: Record<string, unknown>;
  keepIdleModels?: boolean;
}

/**
 * monaco-yaml (through monaco-worker-manager) still calls `createWebWorker({ label, moduleId,
 * createData })`, which Monaco ≥ 0.53 no longer accepts from editor.api: it wants a Worker.
 * This is the shim Monaco's own JSON support uses: create the worker, then send the two
 * messages its `initialize` expects (one to wake it, one with createData).
 */
function createWebWorker(opts: LegacyWorkerOptions) {
  const worker = window.MonacoEnvironment!.getWorker('workerMain.js', opts.label ?? 'editorWorkerService');
  worker.postMessage('ignore');
  worker.postMessage(opts.createData);
  return monaco.editor.createWebWorker({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels } as Parameters<typeof monaco.editor.createWebWorker>[0]);
}

let yaml: MonacoYaml | null = null;

function yamlOptions() {
  return {
    // The engine validates trainjob.yaml (workspace.validateJob) with the exact messages
    // `jobs.run` gives; schema validation here would add a second, differently worded set.
    validate: false,
    hover: true,
    hoverSchemaSource: false,
    completion: true,
    format: { enable: false },
    enableSchemaRequest: false,
    schemas: getYamlSchemas(),
  };
}

function configureYaml(): void {
  if (yaml) {
    void yaml.update(yamlOptions());
    return;
  }
  const shim = { ...monaco, editor: { ...monaco.editor, createWebWorker } };
  yaml = configureMonacoYaml(shim as unknown as Parameters<typeof configureMonacoYaml>[0], yamlOptions());
}

configureYaml();
onYamlSchemas(configureYaml);

export { monaco };

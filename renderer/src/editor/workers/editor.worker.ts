// Monaco's core worker (diffs, word ranges, links), bundled by Vite as its own module worker.
import 'monaco-editor/editor/editor.worker';

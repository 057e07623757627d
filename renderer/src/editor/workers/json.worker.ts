// JSON language service (.json, .ipynb): bundled as its own module worker.
import 'monaco-editor/languages/features/json/json.worker';

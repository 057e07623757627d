// monaco-yaml's language service (hovers, completion from the TrainJob JSON schema). A local
// entry file rather than the package path: Vite bundles it reliably (monaco-yaml's Vite FAQ).
import 'monaco-yaml/yaml.worker.js';

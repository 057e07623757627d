/**
 * Notebooks: `#/notebooks` picks one (and shows whether Jupyter is ready);
 * `#/notebooks/<workspace folder>/<path>` is the open notebook.
 */
import { NotebookBrowser } from '../notebooks/NotebookBrowser';
import { NotebookEditor } from '../notebooks/NotebookEditor';
import { JupyterPanel } from '../notebooks/JupyterPanel';
import { useHashLocation } from '../use-hash-route';
import '../notebooks/notebooks.css';
import '../notebooks/notebook-outputs.css';

export function NotebooksPage() {
  const { path } = useHashLocation();
  const [root, file] = path;
  if (root && file) {
    return (
      <div className="page page-wide" data-testid="page-notebooks">
        <NotebookEditor key={`${root}/${file}`} root={root} path={file} />
      </div>
    );
  }
  return (
    <div className="page" data-testid="page-notebooks">
      <NotebookBrowser />
      <JupyterPanel />
    </div>
  );
}

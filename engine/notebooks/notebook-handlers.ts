/** The notebooks.* API methods, mapped onto the notebook service. */
import type { Handlers } from '../api/dispatch.js';
import type { notebookMethods } from '../api/schemas/notebooks.js';
import type { NotebookService } from './notebook-service.js';

export function notebookHandlers(nb: NotebookService): Pick<Handlers, keyof typeof notebookMethods> {
  return {
    'notebooks.servers': (input) => nb.servers(input.refresh),
    'notebooks.startServer': (input) => nb.startServer(input.python),
    'notebooks.installJupyter': () => nb.runtime.install(),
    'notebooks.kernelspecs': () => nb.kernelspecs(),
    'notebooks.list': (input) => nb.list(input.root),
    'notebooks.open': (input) => nb.open(input.root, input.path),
    'notebooks.create': (input) => nb.create(input.root, input.path),
    'notebooks.save': (input) => nb.save(input),
    'notebooks.stat': (input) => nb.stat(input.root, input.path),
    'notebooks.startKernel': (input) => nb.startKernel(input),
    'notebooks.sessions': () => nb.listSessions(),
    'notebooks.execute': (input) => nb.execute(input),
    'notebooks.interrupt': (input) => nb.interrupt(input.sessionId),
    'notebooks.restart': (input) => nb.restart(input.sessionId),
    'notebooks.shutdown': (input) => nb.shutdown(input.sessionId),
    'notebooks.runFile': (input) => nb.runFile(input),
    'notebooks.toJob': (input) => nb.toJob(input),
  };
}

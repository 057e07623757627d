/** The workspace.* API methods, mapped onto the workspace service. */
import type { Handlers } from '../api/dispatch.js';
import type { workspaceMethods } from '../api/schemas/workspace.js';
import type { WorkspaceService } from './workspace-service.js';

export function workspaceHandlers(ws: WorkspaceService): Pick<Handlers, keyof typeof workspaceMethods> {
  return {
    'workspace.open': (input) => ws.openFolder(input.path),
    'workspace.close': (input) => ws.closeFolder(input.root),
    'workspace.recent': () => ws.recent(),
    'workspace.folders': (input) => ws.folders(input),
    'workspace.forget': (input) => ws.forget(input.path),
    'workspace.templates': () => ws.listTemplates(),
    'workspace.create': (input) => ws.create(input),
    'workspace.tree': (input) => ws.tree(input.root),
    'workspace.read': (input) => ws.read(input.root, input.path),
    'workspace.write': (input) => ws.write(input.root, input),
    'workspace.rename': (input) => ws.rename(input.root, input.from, input.to),
    'workspace.delete': (input) => ws.delete(input.root, input.path),
    'workspace.mkdir': (input) => ws.mkdir(input.root, input.path),
    'workspace.validateJob': (input) => ws.validateJob(input.text, input.backend),
    'workspace.jobSchema': (input) => ws.jobSchema(input.target),
    'workspace.targets': () => ws.targets(),
  };
}

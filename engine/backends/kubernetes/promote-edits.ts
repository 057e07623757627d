/**
 * The promote dialog's choices written into the manifest: runtime, image, resources per node,
 * nodes and processes. Edits go into the YAML document itself, so comments and layout of the
 * user's trainjob.yaml survive and the diff shows only what changed.
 */
import { parseDocument } from 'yaml';
import { GPU_RESOURCE } from '../../jobs/trainjob/index.js';

export interface PromoteEdits {
  runtime?: string;
  image?: string;
  resources?: { cpu?: string; memory?: string; gpu?: number };
  numNodes?: number;
  numProcPerNode?: number;
}

export function applyPromoteEdits(text: string, edits: PromoteEdits): string {
  const { runtime, image, resources, numNodes, numProcPerNode } = edits;
  if (runtime === undefined && image === undefined && resources === undefined && numNodes === undefined && numProcPerNode === undefined) return text;
  const doc = parseDocument(text);
  if (runtime !== undefined) doc.setIn(['spec', 'runtimeRef', 'name'], runtime);
  if (image !== undefined) doc.setIn(['spec', 'trainer', 'image'], image);
  if (numNodes !== undefined) doc.setIn(['spec', 'trainer', 'numNodes'], numNodes);
  if (numProcPerNode !== undefined) doc.setIn(['spec', 'trainer', 'numProcPerNode'], numProcPerNode);
  const limits = ['spec', 'trainer', 'resourcesPerNode', 'limits'];
  if (resources?.cpu !== undefined) doc.setIn([...limits, 'cpu'], resources.cpu);
  if (resources?.memory !== undefined) doc.setIn([...limits, 'memory'], resources.memory);
  if (resources?.gpu !== undefined) {
    if (resources.gpu > 0) doc.setIn([...limits, GPU_RESOURCE], resources.gpu);
    else if (doc.hasIn([...limits, GPU_RESOURCE])) doc.deleteIn([...limits, GPU_RESOURCE]);
  }
  return doc.toString();
}

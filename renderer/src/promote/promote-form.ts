/**
 * The Promote dialog's form, pure (tested in node): defaults read from the job's trainjob.yaml,
 * per-field checks in the same terms Kubernetes uses, and the `promote.preview` / `promote.run`
 * input. Only what the user changed is sent as an override, so an untouched form promotes the
 * job exactly as it ran and the diff shows nothing but what the target needs.
 */
import { parse } from 'yaml';
import type { KubeTarget, MethodInput, PromoteInput, TargetProbe } from '../../../engine/api/contract';
import { GPU_KEY } from '../workspace/quick-controls';
import { runtimeNames } from '../clusters/targets-state';

export type ShippingChoice = NonNullable<PromoteInput['shipping']>;
export const SHIPPING_CHOICES: { value: ShippingChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'hostPath', label: 'Mount the folder (local cluster)' },
  { value: 'configMap', label: 'Archive in a ConfigMap' },
  { value: 'image', label: 'Build an image' },
];

export interface PromoteForm {
  target: string;
  namespace: string;
  runtime: string;
  image: string;
  cpu: string;
  memory: string;
  gpu: string;
  numNodes: string;
  shipping: ShippingChoice;
}
export type FormField = keyof PromoteForm;

/** What the job's own trainjob.yaml says (empty = not set there). */
export type SpecDefaults = Omit<PromoteForm, 'target' | 'namespace' | 'shipping'>;

function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function specDefaults(spec: string, numNodes: number): SpecDefaults {
  let doc: unknown = null;
  try {
    doc = parse(spec);
  } catch {
    // A spec that ran was valid YAML; if not, the fields just start empty.
  }
  const limits = field(doc, 'spec', 'trainer', 'resourcesPerNode', 'limits');
  const nodes = text(field(doc, 'spec', 'trainer', 'numNodes'));
  return {
    runtime: text(field(doc, 'spec', 'runtimeRef', 'name')),
    image: text(field(doc, 'spec', 'trainer', 'image')),
    cpu: text(field(limits, 'cpu')),
    memory: text(field(limits, 'memory')),
    gpu: text(field(limits, GPU_KEY)),
    numNodes: nodes || String(numNodes),
  };
}

/** Local clusters first (the usual first step), then the kubeconfig's current context. */
export function defaultTarget(targets: readonly KubeTarget[]): KubeTarget | null {
  return targets.find((t) => t.kind === 'local-cluster') ?? targets.find((t) => t.current) ?? targets[0] ?? null;
}

export function initialForm(defaults: SpecDefaults, target: KubeTarget | null): PromoteForm {
  return { ...defaults, target: target?.id ?? '', namespace: target?.namespace ?? 'default', shipping: 'auto' };
}

/** Another target brings its own namespace. */
export function withTarget(form: PromoteForm, target: KubeTarget): PromoteForm {
  return { ...form, target: target.id, namespace: target.namespace };
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CPU = /^(\d+(\.\d+)?|\.\d+)m?$/;
const MEMORY = /^(\d+(\.\d+)?|\.\d+)([KMGTPE]i?|k|m|e\d+)?$/;

/** Each field's problem in words, or nothing. Empty optional fields mean "as in trainjob.yaml". */
export function formErrors(form: PromoteForm): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  if (!form.target) errors.target = 'Choose a cluster or context.';
  if (!NAMESPACE.test(form.namespace) || form.namespace.length > 63) {
    errors.namespace = 'A namespace name: lowercase letters, digits and "-", at most 63 characters.';
  }
  if (form.cpu.trim() && !CPU.test(form.cpu.trim())) errors.cpu = 'CPU as a Kubernetes quantity: "2", "1.5" or "500m".';
  if (form.memory.trim() && !MEMORY.test(form.memory.trim())) errors.memory = 'Memory as a Kubernetes quantity: "16Gi", "512Mi" or "8G".';
  if (form.gpu.trim()) {
    const n = Number(form.gpu);
    if (!Number.isInteger(n) || n < 0 || n > 64) errors.gpu = 'GPUs per node: a whole number from 0 to 64.';
  }
  const nodes = Number(form.numNodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 64) errors.numNodes = 'Nodes: a whole number from 1 to 64.';
  if (form.runtime.length > 253) errors.runtime = 'A runtime name has at most 253 characters.';
  if (form.image.length > 500) errors.image = 'An image reference has at most 500 characters.';
  return errors;
}

/** The API input: source, target, namespace, and every field that differs from trainjob.yaml. */
export function toPromoteInput(source: string, form: PromoteForm, defaults: SpecDefaults): MethodInput<'promote.preview'> {
  const changed = (key: keyof SpecDefaults) => {
    const v = form[key].trim();
    return v !== '' && v !== defaults[key].trim() ? v : undefined;
  };
  const input: MethodInput<'promote.preview'> = { source, target: form.target, namespace: form.namespace, shipping: form.shipping };
  const runtime = changed('runtime');
  const image = changed('image');
  const nodes = changed('numNodes');
  const resources: NonNullable<PromoteInput['resources']> = {};
  const cpu = changed('cpu');
  const memory = changed('memory');
  const gpu = changed('gpu');
  if (runtime) input.runtime = runtime;
  if (image) input.image = image;
  if (nodes) input.numNodes = Number(nodes);
  if (cpu) resources.cpu = cpu;
  if (memory) resources.memory = memory;
  if (gpu) resources.gpu = Number(gpu);
  if (Object.keys(resources).length > 0) input.resources = resources;
  return input;
}

/** Under a field: whether it overrides trainjob.yaml, and what the file says. */
export function overrideNote(value: string, fromSpec: string): string {
  const v = value.trim();
  if (v === '' || v === fromSpec.trim()) return fromSpec ? 'as in trainjob.yaml' : 'not set in trainjob.yaml';
  return fromSpec ? `overrides trainjob.yaml (${fromSpec})` : 'added (not set in trainjob.yaml)';
}

/** Equal inputs give equal keys: is the preview on screen the one Submit would apply? */
export function inputKey(input: MethodInput<'promote.preview'>): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)]))
      : v;
  return JSON.stringify(sorted(input));
}

export interface RuntimeOption {
  name: string;
  label: string;
  /** The job names a runtime the target does not have. */
  missing: boolean;
}

/** The target's runtimes, plus the job's own when the target lacks it (so the choice is visible). */
export function runtimeOptions(probe: TargetProbe | null, current: string): RuntimeOption[] {
  const found = runtimeNames(probe).map(({ name, scope }) => ({ name, label: scope === 'cluster' ? name : `${name} (namespace)`, missing: false }));
  if (current && !found.some((r) => r.name === current)) {
    found.unshift({ name: current, label: probe ? `${current} (not on this target)` : current, missing: probe !== null });
  }
  return found;
}

/**
 * Turns `kind create cluster` stderr into named steps for a progress bar, as a pure reducer.
 * The status texts are kind's own (v0.30.0: pkg/cluster/internal/providers/docker/provision.go
 * and pkg/cluster/internal/create/actions/*): a step starts as ` • <text>  ...` and ends as
 * ` ✓ <text>` or ` ✗ <text>`; a failed create ends with `ERROR: failed to create cluster: ...`.
 * We run kind with stderr piped, so it prints these plain lines rather than a spinner.
 */

export const KIND_STEPS = [
  'ensure-image',
  'prepare-nodes',
  'write-config',
  'start-control-plane',
  'install-cni',
  'install-storage',
  'join-workers',
  'wait-ready',
  'done',
] as const;
export type KindStep = (typeof KIND_STEPS)[number];

export interface KindProgress {
  /** 'starting' until kind's first step: config errors fail here, before any node exists. */
  step: KindStep | 'starting';
  /** 1-based position of `step` in KIND_STEPS (0 while starting). Steps kind skips are jumped. */
  index: number;
  total: number;
  /** kind's own words for the step, emoji dropped. */
  description: string;
  cluster?: string;
  failed?: boolean;
  /** The ERROR text and the command output kind prints after it. */
  error?: string;
  /** Non-fatal: kind timed out waiting for Ready but kept the cluster. */
  warning?: string;
}

export const INITIAL_PROGRESS: KindProgress = { step: 'starting', index: 0, total: KIND_STEPS.length, description: 'Starting kind' };

// Status text prefix → step. The load balancer only exists with several control planes; it
// runs between preparing nodes and writing the kubeadm config, so it counts as node setup.
const STATUS_STEPS: [RegExp, KindStep][] = [
  [/^Ensuring node image\b/, 'ensure-image'],
  [/^Preparing nodes\b/, 'prepare-nodes'],
  [/^Configuring the external load balancer\b/, 'prepare-nodes'],
  [/^Writing configuration\b/, 'write-config'],
  [/^Starting control-plane\b/, 'start-control-plane'],
  [/^Installing CNI\b/, 'install-cni'],
  [/^Installing StorageClass\b/, 'install-storage'],
  [/^Joining worker nodes\b/, 'join-workers'],
  [/^Waiting\b.*\bfor control-plane = Ready\b/, 'wait-ready'],
];

export type KindLine =
  | { kind: 'creating'; cluster: string }
  | { kind: 'status'; state: 'running' | 'ok' | 'failed'; step: KindStep | null; text: string }
  | { kind: 'ready'; text: string }
  | { kind: 'timed-out'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'finished' }
  | { kind: 'other'; text: string };

/** Drops terminal escapes, carriage-return redraws and emoji, so only kind's words are left. */
export function cleanKindLine(raw: string): string {
  const lastRedraw = raw.split('\r').filter((s) => s.trim() !== '').pop() ?? '';
  return lastRedraw
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseKindLine(raw: string): KindLine {
  const line = cleanKindLine(raw);
  const creating = /^Creating cluster "([^"]+)" \.\.\.$/.exec(line);
  if (creating?.[1]) return { kind: 'creating', cluster: creating[1] };
  if (line.startsWith('ERROR: ')) return { kind: 'error', text: line.slice('ERROR: '.length) };
  const status = /^([•✓✗]) (.*?)(?: \.\.\.)?$/u.exec(line);
  if (status?.[1] && status[2] !== undefined) {
    const text = status[2];
    if (/^Ready after\b/.test(text)) return { kind: 'ready', text };
    if (/^WARNING: Timed out waiting for Ready\b/.test(text)) return { kind: 'timed-out', text };
    const step = STATUS_STEPS.find(([re]) => re.test(text))?.[1] ?? null;
    const state = status[1] === '✓' ? 'ok' : status[1] === '✗' ? 'failed' : 'running';
    return { kind: 'status', state, step, text };
  }
  // kind's closing lines after a successful create.
  if (/^Set kubectl context to "/.test(line) || /^(Have a nice day!|Thanks for using kind!)/.test(line)) return { kind: 'finished' };
  return { kind: 'other', text: line };
}

function at(step: KindStep, description: string, prev: KindProgress): KindProgress {
  const { failed: _f, error: _e, ...rest } = prev;
  return { ...rest, step, index: KIND_STEPS.indexOf(step) + 1, description };
}

/** The reducer: the progress after one more stderr line. Never throws on unknown lines. */
export function applyKindLine(prev: KindProgress, raw: string): KindProgress {
  // After ERROR, everything kind prints explains the error ("Command Output: ...").
  if (prev.error !== undefined) {
    const extra = cleanKindLine(raw);
    return extra ? { ...prev, error: `${prev.error}\n${extra}` } : prev;
  }
  const line = parseKindLine(raw);
  switch (line.kind) {
    case 'creating':
      return { ...prev, cluster: line.cluster };
    case 'status':
      if (!line.step) return prev;
      if (line.state === 'failed') return { ...at(line.step, line.text, prev), failed: true };
      return at(line.step, line.text, prev);
    case 'ready':
      return prev.step === 'wait-ready' ? { ...prev, description: `${prev.description} (${line.text})` } : prev;
    case 'timed-out':
      return { ...prev, warning: line.text };
    case 'error':
      return { ...prev, failed: true, error: line.text };
    case 'finished':
      return prev.step === 'done' ? prev : at('done', 'Cluster ready', prev);
    case 'other':
      return prev;
  }
}

/** Folds whole stderr text (or its lines so far). */
export function kindProgress(stderr: string | string[]): KindProgress {
  const lines = Array.isArray(stderr) ? stderr : stderr.split('\n');
  return lines.reduce(applyKindLine, INITIAL_PROGRESS);
}

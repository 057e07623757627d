/** The Promote form: target, namespace, runtime, image, resources per node, nodes, shipping. */
import { useId, type ReactNode } from 'react';
import type { KubeTarget, TargetProbe } from '../../../engine/api/contract';
import { Spinner } from '../components/Icons';
import { kubeChoiceLabel, kubeUnavailable } from '../workspace/run-choices';
import { overrideNote, runtimeOptions, SHIPPING_CHOICES, type FormField, type PromoteForm, type ShippingChoice, type SpecDefaults } from './promote-form';

interface Props {
  form: PromoteForm;
  defaults: SpecDefaults;
  errors: Partial<Record<FormField, string>>;
  targets: readonly KubeTarget[];
  /** What the chosen target runs in the chosen namespace (its runtimes). */
  probe: TargetProbe | null;
  probing: boolean;
  /** The target's namespaces to pick from, and why there are none when they could not be listed. */
  namespaces: readonly string[];
  namespaceNote: string | null;
  onChange(patch: Partial<PromoteForm>): void;
  onTarget(id: string): void;
}

function Field({ label, error, help, children, id }: { label: string; error?: string; help?: ReactNode; children: ReactNode; id: string }) {
  return (
    <div className="promote-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : help ? (
        <p className="field-help">{help}</p>
      ) : null}
    </div>
  );
}

export function PromoteFields({ form, defaults, errors, targets, probe, probing, namespaces, namespaceNote, onChange, onTarget }: Props) {
  const base = useId();
  const id = (f: string) => `${base}-${f}`;
  const target = targets.find((t) => t.id === form.target) ?? null;
  const runtimes = runtimeOptions(probe, form.runtime);
  const unavailable = target ? kubeUnavailable(target) : null;
  const missingRuntime = runtimes.find((r) => r.name === form.runtime)?.missing ? `${target?.context ?? 'The target'} has no runtime named ${form.runtime}.` : undefined;
  const asIn = (f: keyof SpecDefaults) => overrideNote(form[f], defaults[f]);
  const text = (f: keyof SpecDefaults, label: string, placeholder: string, help?: ReactNode) => (
    <Field id={id(f)} label={label} error={errors[f]} help={help ?? asIn(f)}>
      <input
        id={id(f)}
        className="input mono"
        value={form[f]}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={errors[f] ? true : undefined}
        onChange={(e) => onChange({ [f]: e.target.value })}
      />
    </Field>
  );

  return (
    <fieldset className="promote-fields" aria-label="Where and how it runs">
      <Field
        id={id('target')}
        label="Cluster or context"
        error={errors.target ?? unavailable ?? undefined}
        help={target ? (probing ? <><Spinner size={11} /> asking {target.context} what it runs…</> : target.server) : undefined}
      >
        <select id={id('target')} className="input select" value={form.target} onChange={(e) => onTarget(e.target.value)}>
          {form.target === '' ? <option value="">Choose…</option> : null}
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {kubeChoiceLabel({ ...t, namespace: t.id === form.target ? form.namespace : t.namespace })}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id={id('namespace')}
        label="Namespace"
        error={errors.namespace}
        help={[target && form.namespace !== target.namespace ? `remembered for ${target.context}: ${target.namespace}` : '', namespaceNote ?? ''].filter(Boolean).join(' · ') || undefined}
      >
        <input
          id={id('namespace')}
          className="input mono"
          value={form.namespace}
          spellCheck={false}
          autoComplete="off"
          list={`${id('namespace')}-list`}
          aria-invalid={errors.namespace ? true : undefined}
          onChange={(e) => onChange({ namespace: e.target.value.trim() })}
        />
        <datalist id={`${id('namespace')}-list`}>
          {namespaces.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </Field>
      <Field id={id('runtime')} label="Runtime" error={errors.runtime ?? missingRuntime} help={asIn('runtime')}>
        <select id={id('runtime')} className="input select mono" value={form.runtime} onChange={(e) => onChange({ runtime: e.target.value })}>
          {runtimes.length === 0 ? <option value="">{probing ? 'Loading runtimes…' : 'No runtimes found'}</option> : null}
          {runtimes.map((r) => (
            <option key={r.name} value={r.name}>
              {r.label}
            </option>
          ))}
        </select>
      </Field>
      {text('image', 'Image', 'the runtime’s image')}
      <div className="promote-row">
        {text('cpu', 'CPU / node', 'e.g. 2')}
        {text('memory', 'Memory / node', 'e.g. 8Gi')}
      </div>
      <div className="promote-row">
        {text('gpu', 'GPUs / node', '0')}
        {text('numNodes', 'Nodes', '1')}
      </div>
      <Field id={id('shipping')} label="Ship the workspace as" help={target ? `automatic here: ${target.defaultShipping}` : undefined}>
        <select id={id('shipping')} className="input select" value={form.shipping} onChange={(e) => onChange({ shipping: e.target.value as ShippingChoice })}>
          {SHIPPING_CHOICES.map((c) => (
            <option key={c.value} value={c.value} disabled={c.value === 'hostPath' && target?.kind !== 'local-cluster'}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
    </fieldset>
  );
}

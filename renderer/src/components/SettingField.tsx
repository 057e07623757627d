import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { MessageText } from './MessageText';

/**
 * A text setting with its own Save button; the API's validation message shows beside it. With
 * `suggestions` it is a combobox: pick one or type another.
 */
export function SettingField({
  label,
  help,
  value,
  placeholder,
  onSave,
  suggestions,
  onFocus,
  note,
}: {
  label: string;
  help: ReactNode;
  value: string;
  placeholder: string;
  /** Resolves when saved; rejects with the message to show. */
  onSave(next: string): Promise<void>;
  suggestions?: readonly string[];
  /** The first focus is when suggestions are worth reading. */
  onFocus?(): void;
  /** A hint under the field (e.g. why there are no suggestions). */
  note?: string | null;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  useEffect(() => setDraft(value), [value]);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (state.kind === 'saving') return;
    setState({ kind: 'saving' });
    try {
      await onSave(draft.trim());
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  const invalid = state.kind === 'error';
  return (
    <form className="field" onSubmit={submit} noValidate>
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          type="text"
          className="input mono"
          value={draft}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid}
          aria-describedby={`${id}-help ${id}-msg`}
          list={suggestions ? `${id}-list` : undefined}
          onFocus={onFocus}
          onChange={(e) => {
            setDraft(e.target.value);
            if (state.kind !== 'saving') setState({ kind: 'idle' });
          }}
        />
        {suggestions ? (
          <datalist id={`${id}-list`}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        ) : null}
        <button type="submit" className="btn" aria-disabled={state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save'}
        </button>
        <span id={`${id}-msg`} className={invalid ? 'field-error' : 'field-ok'} role={invalid ? 'alert' : 'status'}>
          {state.kind === 'error' ? <MessageText text={state.message} /> : state.kind === 'saved' ? 'Saved' : ''}
        </span>
      </div>
      <p id={`${id}-help`} className="field-help">
        {help}
        {note ? (
          <>
            {' '}
            <span className="field-note" data-testid="field-note">
              <MessageText text={note} />
            </span>
          </>
        ) : null}
      </p>
    </form>
  );
}
